package dev.kafkademo;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kafkademo.broker.EmbeddedBroker;
import dev.kafkademo.events.EventJson;
import dev.kafkademo.support.Cli;
import dev.kafkademo.support.JarProcess;
import dev.kafkademo.support.Names;
import dev.kafkademo.support.Ports;
import dev.kafkademo.support.RawRecords;
import dev.kafkademo.support.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker goes away while the producer or consumer runs: stopped and started again on the same
 * port and data, as a restarted container would be. Events are counted by eventId.
 */
class BrokerOutageIT {
  private static final Pattern DELIVERED = Pattern.compile("delivered (.+)-(\\d+)@(\\d+) ");

  @TempDir Path dataDir;
  private final int port = Ports.free();
  private EmbeddedBroker broker;

  @AfterEach
  void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void theProducerRidesOutABrokerRestartAndEveryEventLandsExactlyOnce() {
    broker = start();
    String topic = Topics.create(broker.bootstrapServers(), 3);
    CompletableFuture<Cli.Result> producing =
        CompletableFuture.supplyAsync(
            () ->
                Cli.run(
                    "producer",
                    "-b",
                    broker.bootstrapServers(),
                    "--topic",
                    topic,
                    "--count",
                    "800",
                    "--rate",
                    "200",
                    "--quiet"));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> RawRecords.totalRecords(broker.bootstrapServers(), topic) >= 100);

    broker.close();
    broker = start();
    Cli.Result produced = producing.join();

    assertEquals(0, produced.exitCode(), produced::toString);
    assertTrue(
        produced.err().contains("Sent 800 events to " + topic + ": 800 acknowledged, 0 failed"),
        produced::toString);
    List<ConsumerRecord<byte[], byte[]>> records =
        RawRecords.readAll(broker.bootstrapServers(), topic);
    assertEquals(800, RawRecords.eventIds(records).size(), "every event is there");
    assertEquals(800, records.size(), "and none twice");
  }

  /**
   * A broker SIGKILLed under a fast producer and back a few seconds later, longer than --timeout:
   * the timeout bounds reaching the cluster at the start, not a send that waits for the restarted
   * broker's metadata. Nothing fails, every event is in the topic once.
   */
  @Test
  void aBrokerKilledAndBackWithinTheDeliveryTimeoutFailsNothing() throws Exception {
    int killedPort = Ports.free();
    String[] brokerArgs = {"broker", "--port", "" + killedPort, "--data-dir", dataDir.toString()};
    JarProcess killed = JarProcess.start(brokerArgs);
    JarProcess back = null;
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> killed.out().contains("broker ready"));
      String bootstrap = "127.0.0.1:" + killedPort;
      String topic = Topics.create(bootstrap, 3);
      CompletableFuture<Cli.Result> producing =
          CompletableFuture.supplyAsync(
              () ->
                  Cli.run(
                      "producer",
                      "-b",
                      bootstrap,
                      "--topic",
                      topic,
                      "--count",
                      "60000",
                      "--rate",
                      "10000",
                      "--timeout",
                      "2s",
                      "--quiet"));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> RawRecords.totalRecords(bootstrap, topic) >= 10_000);

      new ProcessBuilder("kill", "-KILL", Long.toString(killed.pid())).start().waitFor();
      killed.waitFor(30);
      // Away for longer than --timeout: the producer keeps waiting, it does not fail.
      await()
          .during(Duration.ofSeconds(4))
          .atMost(Duration.ofSeconds(5))
          .until(() -> !producing.isDone());
      back = JarProcess.start(brokerArgs);
      Cli.Result produced = producing.get(120, java.util.concurrent.TimeUnit.SECONDS);

      assertEquals(0, produced.exitCode(), produced::toString);
      assertTrue(produced.err().contains("60,000 acknowledged, 0 failed"), produced::toString);
      List<ConsumerRecord<byte[], byte[]>> records = RawRecords.readAll(bootstrap, topic);
      assertEquals(60_000, RawRecords.eventIds(records).size(), "every event is there");
      assertEquals(60_000, records.size(), "and none twice");
    } finally {
      killed.close();
      if (back != null) {
        back.close();
      }
    }
  }

  /**
   * Ctrl-C's cleanup may wait (here the consumer's final commit, for a broker that is gone): a
   * second signal stops the process at once, saying what that costs, instead of being ignored until
   * the cleanup gives up.
   */
  @Test
  void aSecondSignalStopsAtOnceWhileTheCleanupWaits() throws Exception {
    int gonePort = Ports.free();
    JarProcess gone =
        JarProcess.start("broker", "--port", "" + gonePort, "--data-dir", dataDir.toString());
    JarProcess consumer = null;
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> gone.out().contains("broker ready"));
      String bootstrap = "127.0.0.1:" + gonePort;
      String topic = Topics.create(bootstrap, 1);
      assertEquals(
          0, Cli.run("producer", "-b", bootstrap, "-t", topic, "-n", "10", "-q").exitCode());
      String group = Names.unique("g");
      JarProcess reading =
          JarProcess.start(
              "consumer",
              "-b",
              bootstrap,
              "-t",
              topic,
              "--group",
              group,
              "--from-beginning",
              "--timeout",
              "60s",
              "--format",
              "none");
      consumer = reading;
      // Read and committed: its final commit has offsets to send.
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  RawRecords.committed(bootstrap, group).values().stream()
                          .mapToLong(offset -> offset.offset())
                          .sum()
                      == 10);
      new ProcessBuilder("kill", "-KILL", Long.toString(gone.pid())).start().waitFor();
      gone.waitFor(30);

      new ProcessBuilder("kill", "-TERM", Long.toString(reading.pid())).start().waitFor();
      // The first signal's cleanup now waits up to --timeout (60 s) for the final commit.
      await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(reading::alive);
      long secondAt = System.nanoTime();
      int exit = reading.terminate(10);

      assertEquals(143, exit, reading::toString);
      assertTrue(
          Duration.ofNanos(System.nanoTime() - secondAt).toSeconds() < 5, "at once: " + reading);
      assertTrue(
          reading.err().contains("Stopped at once (a second SIGTERM): what was not committed"),
          reading::toString);
    } finally {
      gone.close();
      if (consumer != null) {
        consumer.close();
      }
    }
  }

  @Test
  void whenTheBrokerStaysAwayTheFailedCountIsExactAndEveryConfirmedEventIsInTheLog() {
    broker = start();
    String topic = Topics.create(broker.bootstrapServers(), 3);
    CompletableFuture<Cli.Result> producing =
        CompletableFuture.supplyAsync(
            () ->
                Cli.run(
                    "producer",
                    "-b",
                    broker.bootstrapServers(),
                    "--topic",
                    topic,
                    "--count",
                    "600",
                    "--rate",
                    "200",
                    "--timeout",
                    "2s",
                    "-X",
                    "delivery.timeout.ms=3000",
                    "-X",
                    "request.timeout.ms=1500",
                    "-X",
                    "linger.ms=5"));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> RawRecords.totalRecords(broker.bootstrapServers(), topic) >= 100);

    broker.close();
    Cli.Result produced = producing.join();
    broker = start();

    assertEquals(1, produced.exitCode(), produced::toString);
    Matcher summary =
        Pattern.compile(
                "Stopped at the first failure: sent (\\d+) events to \\S+: (\\d+) acknowledged, (\\d+) failed")
            .matcher(produced.err());
    assertTrue(summary.find(), produced::toString);
    long sent = Long.parseLong(summary.group(1));
    long acknowledged = Long.parseLong(summary.group(2));
    long failed = Long.parseLong(summary.group(3));
    assertEquals(
        sent, acknowledged + failed, "every event sent is acknowledged or counted as failed");
    assertTrue(failed > 0 && sent < 600, produced::toString);
    assertTrue(
        produced
            .err()
            .contains("error: " + failed + " of " + sent + " events were not acknowledged"),
        produced::toString);
    assertEquals(
        acknowledged, produced.outLines().size(), "a confirmation per acknowledged event, no more");

    Set<String> inLog = new HashSet<>();
    RawRecords.readAll(broker.bootstrapServers(), topic)
        .forEach(r -> inLog.add(r.partition() + "@" + r.offset()));
    for (String line : produced.outLines()) {
      Matcher delivered = DELIVERED.matcher(line);
      assertTrue(delivered.find(), line);
      assertTrue(
          inLog.contains(delivered.group(2) + "@" + delivered.group(3)),
          "confirmed and really there: " + line);
    }
  }

  @Test
  void theConsumerWaitsOutABrokerRestartAndResumesWhereItWas() {
    broker = start();
    String topic = Topics.create(broker.bootstrapServers(), 3);
    String group = Names.unique("group");
    Cli.Result first =
        Cli.run(
            "producer",
            "-b",
            broker.bootstrapServers(),
            "--topic",
            topic,
            "--count",
            "100",
            "--quiet");
    assertEquals(0, first.exitCode(), first::toString);
    CompletableFuture<Cli.Result> consuming =
        CompletableFuture.supplyAsync(
            () ->
                Cli.consumer(
                    broker.bootstrapServers(),
                    topic,
                    group,
                    "--from-beginning",
                    "--max-messages",
                    "200",
                    "--format",
                    "json"));
    await().atMost(Duration.ofSeconds(30)).until(() -> committedTotal(group) == 100);

    broker.close();
    broker = start();
    Cli.Result second =
        Cli.run(
            "producer",
            "-b",
            broker.bootstrapServers(),
            "--topic",
            topic,
            "--count",
            "100",
            "--quiet");
    Cli.Result consumed = consuming.join();

    assertEquals(0, second.exitCode(), second::toString);
    assertEquals(0, consumed.exitCode(), consumed::toString);
    List<String> ids = consumed.outLines().stream().map(BrokerOutageIT::eventId).toList();
    assertEquals(200, ids.size(), consumed::toString);
    assertEquals(200, new HashSet<>(ids).size(), "nothing read twice, nothing missed");
  }

  private long committedTotal(String group) {
    return RawRecords.committed(broker.bootstrapServers(), group).values().stream()
        .mapToLong(o -> o.offset())
        .sum();
  }

  private EmbeddedBroker start() {
    try {
      return EmbeddedBroker.start(
          EmbeddedBroker.Settings.ephemeral().withPort(port).withDataDir(dataDir));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String eventId(String jsonLine) {
    try {
      JsonNode node = EventJson.mapper().readTree(jsonLine);
      return node.at("/event/eventId").asText();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
