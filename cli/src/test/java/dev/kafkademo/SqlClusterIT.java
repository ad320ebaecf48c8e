package dev.kafkademo;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kafkademo.events.EventJson;
import dev.kafkademo.support.Cli;
import dev.kafkademo.support.JarProcess;
import dev.kafkademo.support.KnownAnswers;
import dev.kafkademo.support.KnownEvents;
import dev.kafkademo.support.Ports;
import dev.kafkademo.support.RawRecords;
import dev.kafkademo.support.TestBroker;
import dev.kafkademo.support.TestFlinkCluster;
import dev.kafkademo.support.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * sql --jobmanager on a real Flink session cluster, started as a user starts one without Docker
 * (scripts/flink-cluster.sh: a JobManager and two TaskManagers, separate processes, for the class),
 * over the embedded broker. The TaskManager is killed in the last test.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SqlClusterIT {
  private static final String BOOTSTRAP = TestBroker.bootstrapServers();
  private static final Pattern JOB = Pattern.compile("Job ([0-9a-f]{32}) on ");

  @TempDir static Path dir;

  private static TestFlinkCluster flink;
  private static String knownTopic;

  @BeforeAll
  static void startTheCluster() throws Exception {
    flink = TestFlinkCluster.start(dir.resolve("flink"), 2);
    knownTopic = Topics.create(BOOTSTRAP, 1);
    KnownEvents.send(BOOTSTRAP, knownTopic, dir);
  }

  @AfterAll
  static void stopTheCluster() throws Exception {
    if (flink != null) {
      flink.close();
    }
  }

  @Test
  @Order(1)
  void theKnownInputHasTheSameAnswersOnTheClusterAsInTheLocalClusterAndInStreams()
      throws Exception {
    JarProcess onCluster = sqlFile("--jobmanager", flink.address());
    JarProcess local = sqlFile();
    assertEquals(0, onCluster.waitFor(180), onCluster::toString);
    assertEquals(0, local.waitFor(180), local::toString);

    KnownAnswers cluster = KnownAnswers.ofSql(onCluster.outLines());
    assertEquals(KnownAnswers.ofSql(local.outLines()), cluster);
    assertEquals(KnownAnswers.OF_KNOWN_EVENTS, cluster);
    cluster.assertStreamsAgrees(BOOTSTRAP, knownTopic, dir.resolve("streams"));

    // Three jobs, each named for its statement, each run to the end on the cluster.
    List<String> jobs = jobIds(onCluster.err());
    assertEquals(3, jobs.size(), onCluster::toString);
    for (String job : jobs) {
      assertEquals("FINISHED", flink.state(job));
      JsonNode details = flink.get("/jobs/" + job);
      assertTrue(details.path("name").asText().startsWith("kafka-demo: SELECT"), details::toString);
    }
    assertTrue(onCluster.err().contains("3 queries,"), onCluster::toString);
  }

  @Test
  @Order(2)
  void sqlJobsListsARunningQueryAndSqlCancelCancelsIt() throws Exception {
    JarProcess running =
        JarProcess.start(
            "sql",
            "-b",
            BOOTSTRAP,
            "-t",
            knownTopic,
            "--jobmanager",
            flink.address(),
            "SELECT userId, COUNT(*) AS events FROM user_events GROUP BY userId");
    try {
      await().atMost(Duration.ofSeconds(90)).until(() -> !jobIds(running.err()).isEmpty());
      String job = jobIds(running.err()).get(0);
      await().atMost(Duration.ofSeconds(60)).until(() -> flink.state(job).equals("RUNNING"));

      Cli.Result jobs = Cli.run("sql", "jobs", "--jobmanager", flink.address());
      assertEquals(0, jobs.exitCode(), jobs::toString);
      assertTrue(
          jobs.outLines().stream()
              .anyMatch(
                  line ->
                      line.matches(
                          job
                              + "\\s+RUNNING\\s+\\S+\\s+\\S+\\s+kafka-demo: SELECT userId, COUNT\\(\\*\\).*")),
          jobs::toString);

      Cli.Result cancel = Cli.run("sql", "cancel", job, "--jobmanager", flink.address());
      assertEquals(0, cancel.exitCode(), cancel::toString);
      assertEquals("Job " + job + " is CANCELED", cancel.err().strip());
      assertEquals("CANCELED", flink.state(job));

      // The command that submitted it says so, in one line, and ends.
      assertEquals(1, running.waitFor(60), running::toString);
      assertTrue(
          running.err().contains("error: Job " + job + " was cancelled on the cluster"),
          running::toString);

      Cli.Result again = Cli.run("sql", "cancel", job, "--jobmanager", flink.address());
      assertEquals(1, again.exitCode(), again::toString);
      assertEquals("error: Job " + job + " has ended already: it is CANCELED", again.err().strip());
    } finally {
      running.close();
    }
  }

  @Test
  @Order(3)
  void aQueryThatFailsOnTheClusterIsOneLineWithItsRootCause() throws Exception {
    // The known input holds a record that is not an event: with --on-error fail the job fails
    // for good (reading it again would fail again), not restarted from its checkpoints forever.
    JarProcess failing =
        JarProcess.start(
            "sql",
            "-b",
            BOOTSTRAP,
            "-t",
            knownTopic,
            "--jobmanager",
            flink.address(),
            "--until-latest",
            "--on-error",
            "fail",
            "SELECT COUNT(*) AS events FROM user_events");
    assertEquals(1, failing.waitFor(120), failing::toString);
    String job = jobIds(failing.err()).get(0);
    List<String> errors = failing.err().lines().filter(line -> line.startsWith("error:")).toList();
    assertEquals(1, errors.size(), failing::toString);
    assertTrue(
        errors
            .get(0)
            .matches(
                "error: Job "
                    + job
                    + " failed on the cluster: Record "
                    + knownTopic
                    + "-0@\\d+ is not a user event: .*"),
        failing::toString);
    assertFalse(failing.err().contains("\tat "), "no stack trace without --verbose");
    assertEquals("FAILED", flink.state(job));
  }

  @Test
  @Order(4)
  void anUnreachableJobManagerIsOneLine() throws Exception {
    String nobody = "127.0.0.1:" + Ports.free();
    Cli.Result sql =
        Cli.run(
            "sql",
            "-b",
            BOOTSTRAP,
            "-t",
            knownTopic,
            "--jobmanager",
            nobody,
            "--until-latest",
            "SELECT COUNT(*) FROM user_events");
    assertEquals(1, sql.exitCode(), sql::toString);
    assertEquals(
        "error: The Flink JobManager at "
            + nobody
            + " is not reachable (is it running? check --jobmanager); scripts/flink-cluster.sh"
            + " start runs one",
        sql.err().strip());
    Cli.Result jobs = Cli.run("sql", "jobs", "--jobmanager", nobody);
    assertEquals(1, jobs.exitCode(), jobs::toString);
    assertEquals(1, jobs.err().strip().lines().count(), jobs::toString);
  }

  @Test
  @Order(5)
  void aRunningQueryGoesOnThroughAKilledTaskManagerWithExactResults() throws Exception {
    String topic = Topics.create(BOOTSTRAP, 2);
    produce(topic, 50_000);
    JarProcess running =
        JarProcess.start(
            "sql",
            "-b",
            BOOTSTRAP,
            "-t",
            topic,
            "--jobmanager",
            flink.address(),
            "--parallelism",
            "2",
            "SELECT eventType, COUNT(*) AS events FROM user_events GROUP BY eventType");
    try {
      // Changes are printed once checkpointed: a first one means a checkpoint to go back to.
      await().atMost(Duration.ofSeconds(90)).until(() -> running.outLines().size() > 1);
      String job = jobIds(running.err()).get(0);
      List<String> busy = flink.busyTaskManagers();
      assertFalse(busy.isEmpty(), "a TaskManager runs the job");
      flink.kill(busy.get(0));

      produce(topic, 50_000);
      await()
          .atMost(Duration.ofMinutes(3))
          .until(() -> total(latest(running.outLines())) == 100_000);
      assertEquals("RUNNING", flink.state(job));
      JsonNode failures = flink.get("/jobs/" + job + "/exceptions").path("exceptionHistory");
      assertFalse(
          failures.path("entries").isEmpty(), "the job failed and was restarted: " + failures);

      // Ctrl-C (or SIGTERM) cancels the job on the cluster before the command ends.
      assertEquals(143, running.terminate(60), running::toString);
      assertEquals("CANCELED", flink.state(job), running::toString);
      assertEquals(inTheTopic(topic), latest(running.outLines()), running::toString);
    } finally {
      running.close();
    }
  }

  private static JarProcess sqlFile(String... more) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "sql",
                "-b",
                BOOTSTRAP,
                "-t",
                knownTopic,
                "--file",
                "sql/user-events.sql",
                "--until-latest",
                "--format",
                "json"));
    args.addAll(List.of(more));
    return JarProcess.start(args.toArray(String[]::new));
  }

  private static void produce(String topic, int count) {
    Cli.Result producer =
        Cli.run("producer", "-b", BOOTSTRAP, "-t", topic, "--count", "" + count, "--quiet");
    assertEquals(0, producer.exitCode(), producer::toString);
  }

  private static List<String> jobIds(String err) {
    Matcher job = JOB.matcher(err);
    List<String> ids = new java.util.ArrayList<>();
    while (job.find()) {
      ids.add(job.group(1));
    }
    return ids;
  }

  /** A running query's changes (op, eventType, events) applied in order: its result now. */
  private static Map<String, Long> latest(List<String> lines) {
    Map<String, Long> result = new TreeMap<>();
    for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
      String[] cells = line.trim().split("\\s+");
      if (cells.length != 3) {
        continue;
      }
      if (cells[0].equals("+I") || cells[0].equals("+U")) {
        result.put(cells[1], Long.parseLong(cells[2]));
      } else {
        result.remove(cells[1]);
      }
    }
    return result;
  }

  private static long total(Map<String, Long> counts) {
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }

  private static Map<String, Long> inTheTopic(String topic) throws Exception {
    Map<String, Long> counts = new TreeMap<>();
    for (ConsumerRecord<byte[], byte[]> record : RawRecords.readAll(BOOTSTRAP, topic)) {
      JsonNode event = EventJson.mapper().readTree(record.value());
      counts.merge(event.get("eventType").asText(), 1L, Long::sum);
    }
    return counts;
  }
}
