package dev.kafkademo;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kafkademo.support.Cli;
import dev.kafkademo.support.JarProcess;
import dev.kafkademo.support.Ports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The runnable jar as the README uses it, each command in its own JVM: the broker, the producer and
 * a consumer stopped with SIGTERM as Ctrl-C would. Proves the shaded jar (logging, service files,
 * the broker's classes) and the signal handling that cannot be driven in-process.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RunnableJarIT {
  private static final Pattern READY =
      Pattern.compile(
          "broker ready at (localhost:\\d+) \\(KRaft, data in (.+), removed on exit\\)");
  private static final int EVENTS = 20;

  private static JarProcess broker;
  private static String bootstrap;
  private static Path dataDir;
  private static final String GROUP = "jar-it-group-" + System.nanoTime();
  private static final String TOPIC = "jar-it-" + System.nanoTime();

  @BeforeAll
  static void startBroker() {
    int port = Ports.free();
    broker = JarProcess.start("broker", "--port", "" + port);
    await()
        .atMost(Duration.ofSeconds(90))
        .until(
            () ->
                READY.matcher(broker.out()).find()
                    || !broker.err().isEmpty() && broker.err().contains("error"));
    Matcher ready = READY.matcher(broker.out());
    assertTrue(ready.find(), broker::toString);
    bootstrap = ready.group(1);
    assertEquals("localhost:" + port, bootstrap);
    dataDir = Path.of(ready.group(2));
    assertTrue(Files.isDirectory(dataDir));
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  @Order(1)
  void producerPrintsAConfirmationPerEventAndNothingElseOnStdout() throws InterruptedException {
    JarProcess producer =
        JarProcess.start("producer", "-b", bootstrap, "--topic", TOPIC, "--count", "" + EVENTS);

    assertEquals(0, producer.waitFor(60), producer::toString);
    assertEquals(EVENTS, producer.outLines().size(), producer::toString);
    producer
        .outLines()
        .forEach(line -> assertTrue(line.startsWith("delivered " + TOPIC + "-"), line));
    assertTrue(
        producer.err().contains("Sent 20 events to " + TOPIC + ": 20 acknowledged, 0 failed"),
        producer::toString);
    assertFalse(producer.err().contains("SLF4J"), "logging is bound: " + producer);
    assertFalse(producer.err().contains("WARN"), "quiet by default: " + producer);
  }

  @Test
  @Order(2)
  void verboseShowsTheClientLogs() throws InterruptedException {
    JarProcess producer =
        JarProcess.start(
            "producer", "-b", bootstrap, "--topic", TOPIC, "--count", "1", "--verbose");

    assertEquals(0, producer.waitFor(60), producer::toString);
    assertTrue(
        producer.err().contains("INFO") && producer.err().contains("ProducerConfig values"),
        producer::toString);
  }

  @Test
  @Order(3)
  void sigtermStopsTheConsumerWhichCommitsWhatItProcessed() throws InterruptedException {
    String topic = TOPIC + "-sigterm";
    assertEquals(
        0, Cli.run("producer", "-b", bootstrap, "-t", topic, "-n", "" + EVENTS, "-q").exitCode());
    JarProcess consumer =
        JarProcess.start(
            "consumer", "-b", bootstrap, "--topic", topic, "--group", GROUP, "--from-beginning");
    await().atMost(Duration.ofSeconds(60)).until(() -> consumer.outLines().size() >= EVENTS);

    int exit = consumer.terminate(30);

    assertEquals(143, exit, "killed by SIGTERM after its cleanup: " + consumer);
    assertTrue(
        consumer.err().contains("Processed 20 events from " + topic + " in group " + GROUP),
        consumer::toString);
    assertTrue(consumer.err().contains("Committed offsets: " + topic + "-"), consumer::toString);

    JarProcess again =
        JarProcess.start(
            "consumer",
            "-b",
            bootstrap,
            "--topic",
            topic,
            "--group",
            GROUP,
            "--idle-timeout",
            "2s");
    assertEquals(0, again.waitFor(60), again::toString);
    assertTrue(
        again.err().contains("Assigned partitions: "),
        "joined the group the first one left: " + again);
    assertEquals("", again.out(), "the group's offsets were committed on SIGTERM: " + again);
    assertTrue(again.err().contains("Processed 0 events"), again::toString);
  }

  @Test
  @Order(4)
  void sigtermStopsTheProducerWhichFlushesWhatIsInFlightAndSummarizes()
      throws InterruptedException {
    JarProcess producer =
        JarProcess.start(
            "producer",
            "-b",
            bootstrap,
            "--topic",
            TOPIC + "-stopped",
            "--count",
            "100000",
            "--rate",
            "50");
    await().atMost(Duration.ofSeconds(60)).until(() -> producer.outLines().size() >= 5);

    int exit = producer.terminate(30);

    assertEquals(143, exit, producer::toString);
    Matcher summary =
        Pattern.compile("Stopped early: sent (\\d+) events to \\S+: (\\d+) acknowledged, 0 failed")
            .matcher(producer.err());
    assertTrue(summary.find(), producer::toString);
    assertEquals(summary.group(1), summary.group(2), "everything sent was acknowledged");
    assertEquals(
        Integer.parseInt(summary.group(2)), producer.outLines().size(), "a confirmation for each");
    assertTrue(Integer.parseInt(summary.group(1)) < 100_000, producer::toString);
  }

  @Test
  @Order(5)
  void aSecondBrokerOnTheSamePortIsOneClearLine() throws InterruptedException {
    JarProcess second =
        JarProcess.start("broker", "--port", bootstrap.substring(bootstrap.indexOf(':') + 1));

    assertEquals(1, second.waitFor(60), second::toString);
    assertEquals("", second.out());
    assertTrue(
        second
            .err()
            .strip()
            .matches(
                "error: Port \\d+ on 127\\.0\\.0\\.1 is already in use: is another broker .* running\\? .*"),
        second::toString);
  }

  @Test
  @Order(6)
  void aSecondBrokerOnTheDataOfARunningOneIsRefusedBeforeTouchingAFile() throws IOException {
    Map<Path, FileTime> before = modificationTimes(dataDir);

    Cli.Result second =
        Cli.run("broker", "--port", "" + Ports.free(), "--data-dir", dataDir.toString());

    assertEquals(1, second.exitCode(), second::toString);
    assertEquals(
        List.of(
            "error: Data directory "
                + dataDir
                + " is in use by a running broker (it holds .lock): stop that broker, or give this"
                + " one another --data-dir"),
        second.errLines());
    assertEquals(before, modificationTimes(dataDir), "no file written, created or removed");
    assertEquals(0, Cli.run("topics", "list", "-b", bootstrap).exitCode(), "the first still works");
  }

  @Test
  @Order(7)
  void sigtermStopsTheBrokerAndRemovesItsTemporaryData() throws InterruptedException {
    int exit = broker.terminate(60);

    assertEquals(143, exit, broker::toString);
    assertTrue(broker.err().contains("Broker stopped."), broker::toString);
    assertFalse(Files.exists(dataDir), "temporary data removed: " + dataDir);
    broker = null;
  }

  private static Map<Path, FileTime> modificationTimes(Path dir) throws IOException {
    Map<Path, FileTime> times = new TreeMap<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.toList()) {
        // Log segments of the running broker change with its own writes; metadata is what a
        // second broker would have rewritten.
        if (!file.toString().endsWith(".log")
            && !file.toString().endsWith(".index")
            && !file.toString().endsWith(".timeindex")) {
          times.put(file, Files.getLastModifiedTime(file));
        }
      }
    }
    return times;
  }
}
