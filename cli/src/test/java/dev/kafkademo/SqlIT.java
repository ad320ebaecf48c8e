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
import dev.kafkademo.support.Names;
import dev.kafkademo.support.TestBroker;
import dev.kafkademo.support.TestRegistry;
import dev.kafkademo.support.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sql command as a user runs it: {@code java -jar target/kafka-demo.jar sql}, which hands over
 * to kafka-demo-sql.jar, over the known input on the embedded broker; its results next to what the
 * input holds and what the streams command computes from the same topic.
 */
class SqlIT {
  private static final String BOOTSTRAP = TestBroker.bootstrapServers();
  private static String topic;

  @TempDir static Path dir;

  @BeforeAll
  static void knownInput() throws IOException {
    topic = Topics.create(BOOTSTRAP, 1);
    KnownEvents.send(BOOTSTRAP, topic, dir);
  }

  @Test
  void theThreeQuestionsOfTheSqlFileAnswerWhatTheInputHoldsAndWhatStreamsComputes()
      throws Exception {
    JarProcess sql =
        JarProcess.start(
            "sql",
            "-b",
            BOOTSTRAP,
            "-t",
            topic,
            "--file",
            "sql/user-events.sql",
            "--until-latest",
            "--format",
            "json");
    assertEquals(0, sql.waitFor(120), sql::toString);
    KnownAnswers answers = KnownAnswers.ofSql(sql.outLines());
    assertEquals(KnownAnswers.OF_KNOWN_EVENTS, answers);
    assertTrue(
        sql.err().contains("3 queries,") && sql.err().contains("12 rows in the final results"),
        sql::toString);

    // The streams command on the same topic: what it has closed, Flink has the same.
    answers.assertStreamsAgrees(BOOTSTRAP, topic, dir.resolve("streams"));
  }

  @Test
  void aRunningQueryPrintsEachChangeAndEndsOnSigtermWithASummary() throws Exception {
    JarProcess sql =
        JarProcess.start(
            "sql",
            "-b",
            BOOTSTRAP,
            "-t",
            topic,
            "SELECT userId, COUNT(*) AS events FROM user_events GROUP BY userId");
    try {
      // user-1: +I 1, then -U 1 / +U 2 ... as its events come
      await()
          .atMost(Duration.ofSeconds(90))
          .until(() -> sql.outLines().stream().anyMatch(l -> l.matches("\\+U\\s+user-1\\s+5")));
      assertEquals(143, sql.terminate(60), sql::toString);
    } finally {
      sql.close();
    }
    assertEquals(List.of("op", "userId", "events"), List.of(sql.outLines().get(0).split("\\s+")));
    assertTrue(
        sql.outLines().stream().anyMatch(l -> l.matches("\\+I\\s+user-1\\s+1")), sql::toString);
    assertTrue(
        sql.outLines().stream().anyMatch(l -> l.matches("-U\\s+user-1\\s+4")), sql::toString);
    assertTrue(sql.err().contains("1 query, "), sql::toString);
  }

  @Test
  void mistakesInTheSqlAreOneLineWithTheirPositionAndExitTwo() throws IOException {
    // --until-latest everywhere: a mistake this test does not catch must not leave a query running
    Cli.Result syntax =
        Cli.run(
            "sql",
            "-b",
            BOOTSTRAP,
            "-t",
            topic,
            "--until-latest",
            "SELECT eventType FROMM user_events");
    assertEquals(2, syntax.exitCode(), syntax::toString);
    assertEquals(
        List.of("error: SQL parse failed. Encountered \"user_events\" at line 1, column 24"),
        syntax.errLines());

    Path file =
        Files.writeString(
            dir.resolve("bad.sql"),
            "-- a view, then a query with a column that does not exist\n"
                + "CREATE VIEW purchases AS SELECT * FROM user_events WHERE eventType = 'purchase';\n"
                + "\n"
                + "SELECT userId,\n"
                + "       total\n"
                + "FROM purchases;\n");
    Cli.Result column =
        Cli.run("sql", "-b", BOOTSTRAP, "-t", topic, "--until-latest", "--file", file.toString());
    assertEquals(2, column.exitCode(), column::toString);
    assertTrue(
        column
            .err()
            .contains(
                file
                    + ": SQL validation failed. From line 5, column 8 to line 5, column 12:"
                    + " Column 'total' not found in any table"),
        column::toString);

    Cli.Result table =
        Cli.run("sql", "-b", BOOTSTRAP, "--until-latest", "SELECT * FROM user_event");
    assertEquals(2, table.exitCode(), table::toString);
    assertTrue(table.err().contains("Object 'user_event' not found"), table::toString);
    Cli.Result unreachable =
        Cli.run("sql", "-b", "127.0.0.1:1", "--timeout", "1s", "--until-latest", "SELECT 1 AS x");
    assertEquals(1, unreachable.exitCode(), unreachable::toString);
    assertTrue(
        unreachable.err().startsWith("error: No Kafka broker answered at 127.0.0.1:1 within 1s."),
        unreachable::toString);
    for (Cli.Result result : List.of(syntax, column, table, unreachable)) {
      // Statements before the wrong one may say "ok: ..."; the mistake is one line, the last.
      List<String> lines = result.err().strip().lines().toList();
      assertEquals(
          1, lines.stream().filter(l -> !l.startsWith("ok: ")).count(), "one line: " + result);
      assertTrue(lines.get(lines.size() - 1).startsWith("error: "), result::toString);
    }
  }

  @Test
  void aRecordThatIsNotAnEventFailsTheQueryWhenAskedTo() throws Exception {
    JarProcess sql =
        JarProcess.start(
            "sql",
            "-b",
            BOOTSTRAP,
            "-t",
            topic,
            "--until-latest",
            "--on-error",
            "fail",
            "SELECT COUNT(*) AS events FROM user_events");
    assertEquals(1, sql.waitFor(120), sql::toString);
    assertTrue(
        sql.err()
            .contains(
                "error: The query failed: Record "
                    + topic
                    + "-0@9 is not a user event: not valid JSON: "),
        sql::toString);
    assertEquals(List.of(), sql.outLines(), "no result when the query failed");
    assertFalse(sql.err().contains("\tat "), "no stack trace: " + sql);
  }

  /**
   * The named fields of a result, as one line; times other than a window's start as the time of
   * day, decimals as written.
   */
  /**
   * A topic of Avro events (the registry's wire format) and JSON events, mixed: read as the
   * consumer reads them, every event counted; without a registry the Avro ones are left out, and
   * said so.
   */
  @Test
  void avroAndJsonEventsInOneTopicAreCountedAsTheConsumerReadsThem() throws Exception {
    String registry = TestRegistry.url();
    String mixed = Topics.create(BOOTSTRAP, 3);
    Cli.Result avro =
        Cli.run(
            "producer",
            "-b",
            BOOTSTRAP,
            "-t",
            mixed,
            "-n",
            "300",
            "--value-format",
            "avro",
            "--schema-registry",
            registry,
            "-q");
    assertEquals(0, avro.exitCode(), avro::toString);
    Cli.Result json = Cli.run("producer", "-b", BOOTSTRAP, "-t", mixed, "-n", "2", "-q");
    assertEquals(0, json.exitCode(), json::toString);
    Map<String, Long> consumed = new TreeMap<>();
    Cli.Result consumer =
        Cli.consumer(
            BOOTSTRAP,
            mixed,
            Names.unique("sql-avro"),
            "--from-beginning",
            "--idle-timeout",
            "3s",
            "--schema-registry",
            registry,
            "--format",
            "value");
    assertEquals(0, consumer.exitCode(), consumer::toString);
    for (String line : consumer.outLines()) {
      consumed.merge(EventJson.mapper().readTree(line).get("eventType").asText(), 1L, Long::sum);
    }
    String query = "SELECT eventType, COUNT(*) AS n FROM user_events GROUP BY eventType";

    JarProcess withRegistry =
        JarProcess.start(
            "sql",
            "-b",
            BOOTSTRAP,
            "-t",
            mixed,
            "--until-latest",
            "--format",
            "json",
            "--schema-registry",
            registry,
            query);
    assertEquals(0, withRegistry.waitFor(120), withRegistry::toString);
    Map<String, Long> counted = new TreeMap<>();
    for (String row : withRegistry.outLines()) {
      JsonNode values = EventJson.mapper().readTree(row);
      counted.put(values.get("eventType").asText(), values.get("n").asLong());
    }
    assertEquals(consumed, counted, "what the consumer reads: " + withRegistry);
    assertEquals(302, counted.values().stream().mapToLong(Long::longValue).sum());
    assertFalse(withRegistry.err().contains("Left out"), withRegistry::toString);

    JarProcess without =
        JarProcess.start(
            Map.of("SCHEMA_REGISTRY_URL", ""),
            "sql",
            "-b",
            BOOTSTRAP,
            "-t",
            mixed,
            "--until-latest",
            "--format",
            "json",
            query);
    assertEquals(0, without.waitFor(120), without::toString);
    long rows = 0;
    for (String row : without.outLines()) {
      rows += EventJson.mapper().readTree(row).get("n").asLong();
    }
    assertEquals(2, rows, "the JSON events: " + without);
    assertTrue(
        without.err().contains("Left out 300 records that are not a user event (the first: Avro")
            && without.err().contains("no schema registry named (--schema-registry)"),
        "never a silent success: " + without);

    JarProcess failing =
        JarProcess.start(
            Map.of("SCHEMA_REGISTRY_URL", ""),
            "sql",
            "-b",
            BOOTSTRAP,
            "-t",
            mixed,
            "--until-latest",
            "--on-error",
            "fail",
            query);
    assertEquals(1, failing.waitFor(120), failing::toString);
    assertTrue(
        failing
            .err()
            .matches(
                "(?s).*error: The query failed: Record "
                    + mixed
                    + "-\\d@\\d+ is not a user event: Avro.*"),
        "names the record by its position: " + failing);
  }
}
