package dev.kafkademo;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kafkademo.events.EventJson;
import dev.kafkademo.events.UserEvent;
import dev.kafkademo.support.Cli;
import dev.kafkademo.support.JarProcess;
import dev.kafkademo.support.Names;
import dev.kafkademo.support.Ports;
import dev.kafkademo.support.RawRecords;
import dev.kafkademo.support.TestBroker;
import dev.kafkademo.support.TestPostgres;
import dev.kafkademo.support.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka Connect as users run it: the `connect` worker from the jar, the connector files in
 * connect/, a real PostgreSQL, the embedded broker, and the `connectors` command.
 */
class ConnectIT {
  private static final Path SINK = Path.of("connect", "user-events-to-postgres.json");
  private static final Path CDC = Path.of("connect", "postgres-users-cdc.json");

  private static String bootstrap;
  private static TestPostgres postgres;
  private static JarProcess worker;
  private static String connectUrl;

  @TempDir Path dir;

  @BeforeAll
  static void startWorker() {
    bootstrap = TestBroker.bootstrapServers();
    postgres = TestPostgres.get();
    int port = Ports.free();
    connectUrl = "http://127.0.0.1:" + port;
    worker = startWorker(Names.unique("connect"), port);
  }

  @AfterAll
  static void stopWorker() throws InterruptedException {
    if (worker != null) {
      worker.terminate(60);
    }
  }

  private static JarProcess startWorker(String group, int port) {
    JarProcess started =
        JarProcess.start(
            postgres.environment(),
            "connect",
            "-b",
            bootstrap,
            "--group",
            group,
            "--rest-port",
            "" + port);
    await()
        .atMost(Duration.ofMinutes(2))
        .until(() -> started.out().contains("Kafka Connect worker ready") || !started.alive());
    assertTrue(started.out().contains("Kafka Connect worker ready"), started::toString);
    return started;
  }

  private Cli.Result connectors(String... args) {
    List<String> all = new ArrayList<>(List.of("connectors"));
    all.addAll(List.of(args));
    all.addAll(List.of("--connect-url", connectUrl));
    return Cli.run(all.toArray(String[]::new));
  }

  /** The connector file from connect/, with settings changed so that tests do not collide. */
  private Path variant(Path file, Map<String, String> changes) throws IOException {
    ObjectNode root = (ObjectNode) EventJson.mapper().readTree(file.toFile());
    ObjectNode config = (ObjectNode) root.get("config");
    changes.forEach(
        (setting, value) -> {
          if (setting.equals("name")) {
            root.put("name", value); // the connector's name, beside its config
          } else {
            config.put(setting, value);
          }
        });
    Path copy = dir.resolve(file.getFileName());
    EventJson.mapper().writeValue(copy.toFile(), root);
    return copy;
  }

  /** The sink's file, as connector sink-TOPIC from {@code topic} into {@code table}, and more. */
  private Path sinkFor(String topic, String table, String... more) throws IOException {
    Map<String, String> changes = new HashMap<>();
    changes.put("name", "sink-" + topic);
    changes.put("topics", topic);
    changes.put("collection.name.format", table);
    changes.put("errors.deadletterqueue.topic.name", topic + ".connect-dlq");
    for (int i = 0; i < more.length; i += 2) {
      changes.put(more[i], more[i + 1]);
    }
    return variant(SINK, changes);
  }

  private static long count(String sql) throws SQLException {
    try (Connection db = postgres.connect();
        Statement statement = db.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }

  private static long rowsOf(String table) {
    try {
      return count("SELECT count(*) FROM " + table);
    } catch (SQLException e) {
      return -1; // not created yet
    }
  }

  @Test
  void theSinkWritesEveryEventOnceAsARowEqualToIt() throws Exception {
    String topic = Topics.create(bootstrap, 3);
    String table = "events_" + topic.replaceAll("[^a-z0-9]", "_");
    Path sink = sinkFor(topic, table);
    assertEquals(
        0, Cli.run("producer", "-b", bootstrap, "-t", topic, "--count", "1000", "-q").exitCode());
    RawRecords.sendText(bootstrap, topic, "user-9", "{broken");

    Cli.Result applied = connectors("apply", "sink-" + topic, "--file", sink.toString());

    assertEquals(0, applied.exitCode(), applied::toString);
    await().atMost(Duration.ofMinutes(2)).until(() -> rowsOf(table) == 1000);
    Map<String, UserEvent> sent = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> record : RawRecords.readAll(bootstrap, topic)) {
      if (record.value()[0] == '{' && record.value().length > 10) {
        UserEvent event = EventJson.parse(record.value());
        sent.put(event.eventId().toString(), event);
      }
    }
    try (Connection db = postgres.connect();
        Statement statement = db.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT event_id, user_id, event_type, event_time, properties FROM " + table)) {
      int n = 0;
      while (rows.next()) {
        n++;
        UserEvent event = sent.get(rows.getString("event_id"));
        assertEquals(event.userId(), rows.getString("user_id"));
        assertEquals(event.eventType().jsonName(), rows.getString("event_type"));
        assertEquals(event.timestamp(), rows.getTimestamp("event_time").toInstant());
        assertEquals(
            EventJson.mapper().valueToTree(event.properties()),
            EventJson.mapper().readTree(rows.getString("properties")));
      }
      assertEquals(1000, n);
    }
    List<ConsumerRecord<byte[], byte[]>> dead =
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> RawRecords.readAll(bootstrap, topic + ".connect-dlq"), d -> d.size() == 1);
    assertEquals("{broken", new String(dead.get(0).value(), StandardCharsets.UTF_8));
    Header reason = dead.get(0).headers().lastHeader("__connect.errors.exception.message");
    assertTrue(
        new String(reason.value(), StandardCharsets.UTF_8).contains("not a user event"),
        new String(reason.value(), StandardCharsets.UTF_8));
  }

  /**
   * Two workers in one group are one Connect cluster: either answers for the connector, and when
   * the one running its task is killed mid-stream, the other takes the task over and the table
   * still ends with each event once.
   */
  @Test
  void aWorkerKilledMidStreamLeavesItsTaskToTheOtherAndEachEventOnce() throws Exception {
    String topic = Topics.create(bootstrap, 3);
    String table = "killed_" + topic.replaceAll("[^a-z0-9]", "_");
    String group = Names.unique("connect-kill");
    int[] ports = {Ports.free(), Ports.free()};
    Path sink =
        sinkFor(topic, table, "batch.size", "50", "consumer.override.max.poll.records", "50");
    JarProcess[] workers = {startWorker(group, ports[0]), startWorker(group, ports[1])};
    JarProcess producer =
        JarProcess.start(
            "producer", "-b", bootstrap, "-t", topic, "--count", "1000", "--rate", "250", "-q");
    try {
      Cli.Result applied =
          Cli.run(
              "connectors",
              "apply",
              "sink-" + topic,
              "--file",
              sink.toString(),
              "--connect-url",
              "http://127.0.0.1:" + ports[0]);
      assertEquals(0, applied.exitCode(), applied::toString);
      await().atMost(Duration.ofMinutes(1)).until(() -> rowsOf(table) >= 200);
      Cli.Result described =
          Cli.run(
              "connectors",
              "describe",
              "sink-" + topic,
              "--connect-url",
              "http://127.0.0.1:" + ports[1]);
      assertTrue(
          described.out().contains("task 0: RUNNING"), "either worker answers: " + described);
      int running = described.out().contains("task 0: RUNNING on 127.0.0.1:" + ports[0]) ? 0 : 1;
      new ProcessBuilder("kill", "-KILL", "" + workers[running].pid()).start().waitFor();
      workers[running].waitFor(30);
      assertEquals(0, producer.waitFor(60), producer::toString);
      await().atMost(Duration.ofMinutes(2)).until(() -> rowsOf(table) == 1000);
      assertEquals(1000, count("SELECT count(DISTINCT event_id) FROM " + table));
      JarProcess survivor = workers[1 - running];
      assertEquals(143, survivor.terminate(60), "SIGTERM: a clean stop, " + survivor);
      assertTrue(survivor.err().contains("Worker stopped."), survivor::toString);
    } finally {
      for (JarProcess worker : workers) {
        worker.close();
      }
    }
  }

  @Test
  void insertUpdateAndDeleteBecomeThreeChangeEvents() throws Exception {
    String suffix = Names.unique("cdc").replaceAll("[^a-z0-9]", "_");
    try (Connection db = postgres.connect();
        Statement statement = db.createStatement()) {
      statement.execute("DROP TABLE IF EXISTS users");
      statement.execute(
          "CREATE TABLE users (id serial PRIMARY KEY, name text NOT NULL, email text)");
      statement.execute(
          "ALTER TABLE users REPLICA IDENTITY FULL"); // old values in updates and deletes
    }
    String prefix = "pg_" + suffix;
    Path cdc =
        variant(
            CDC,
            Map.of(
                "name", "cdc-" + suffix,
                "topic.prefix", prefix,
                "slot.name", "slot_" + suffix,
                "publication.name", "pub_" + suffix));

    Cli.Result applied = connectors("apply", "cdc-" + suffix, "--file", cdc.toString());

    assertEquals(0, applied.exitCode(), applied::toString);
    await()
        .atMost(Duration.ofMinutes(1))
        .until(() -> connectors("describe", "cdc-" + suffix).out().contains("task 0: RUNNING"));
    // The connector streams changes once its replication slot exists.
    await()
        .atMost(Duration.ofMinutes(1))
        .until(
            () ->
                count(
                        "SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'slot_"
                            + suffix
                            + "'")
                    == 1);
    try (Connection db = postgres.connect();
        Statement statement = db.createStatement()) {
      statement.execute("INSERT INTO users (name, email) VALUES ('Ada', 'ada@example.com')");
      statement.execute("UPDATE users SET email = 'ada@lovelace.org' WHERE name = 'Ada'");
      statement.execute("DELETE FROM users WHERE name = 'Ada'");
    }
    String topic = prefix + ".public.users";
    List<JsonNode> changes =
        await()
            .atMost(Duration.ofMinutes(1))
            .ignoreExceptions()
            .until(() -> changeEvents(topic), found -> found.size() >= 3);

    assertEquals(3, changes.size(), changes::toString);
    assertEquals("c", changes.get(0).get("op").asText());
    assertTrue(changes.get(0).get("before").isNull());
    assertEquals("ada@example.com", changes.get(0).get("after").get("email").asText());
    assertEquals("u", changes.get(1).get("op").asText());
    assertEquals("ada@example.com", changes.get(1).get("before").get("email").asText());
    assertEquals("ada@lovelace.org", changes.get(1).get("after").get("email").asText());
    assertEquals("d", changes.get(2).get("op").asText());
    assertEquals("ada@lovelace.org", changes.get(2).get("before").get("email").asText());
    assertTrue(changes.get(2).get("after").isNull());
  }

  /** The topic's change events, read the way a user reads them: consumer --raw, as JSON. */
  private List<JsonNode> changeEvents(String topic) throws IOException {
    Cli.Result read =
        Cli.consumer(
            bootstrap,
            topic,
            Names.unique("cdc-reader"),
            "--raw",
            "--from-beginning",
            "--format",
            "json",
            "--idle-timeout",
            "2s");
    List<JsonNode> changes = new ArrayList<>();
    for (String line : read.outLines()) {
      JsonNode value = EventJson.mapper().readTree(line).get("value");
      if (!value.isNull()) { // the tombstone after a delete
        changes.add(value);
      }
    }
    return changes;
  }

  private String taskState(String connector) throws IOException {
    Cli.Result described = connectors("describe", connector, "-o", "json");
    JsonNode tasks = EventJson.mapper().readTree(described.out()).path("status").path("tasks");
    return tasks.isEmpty() ? "NONE" : tasks.get(0).path("state").asText();
  }

  /**
   * PostgreSQL stopped for 12 s under the sink: the connector file's retry settings carry the task
   * through it; with the database back every event is a row once, nothing went to the dead-letter
   * topic, and nobody had to restart anything.
   */
  @Test
  void aDatabaseAwayForAMomentLosesNothingAndNeedsNoRestart() throws Exception {
    String topic = Topics.create(bootstrap, 3);
    String table = "away_" + topic.replaceAll("[^a-z0-9]", "_");
    String name = "sink-" + topic;
    Path sink = sinkFor(topic, table);
    assertEquals(
        0, Cli.run("producer", "-b", bootstrap, "-t", topic, "--count", "500", "-q").exitCode());
    assertEquals(0, connectors("apply", name, "--file", sink.toString()).exitCode());
    await().atMost(Duration.ofMinutes(2)).until(() -> rowsOf(table) == 500);

    postgres.pause();
    try {
      assertEquals(
          0, Cli.run("producer", "-b", bootstrap, "-t", topic, "--count", "500", "-q").exitCode());
      await()
          .during(Duration.ofSeconds(12))
          .atMost(Duration.ofSeconds(15))
          .until(() -> taskState(name).equals("RUNNING"));
    } finally {
      postgres.resume();
    }

    await().atMost(Duration.ofMinutes(2)).until(() -> rowsOf(table) == 1000);
    assertEquals(1000, count("SELECT count(DISTINCT event_id) FROM " + table));
    assertEquals("RUNNING", taskState(name));
    assertEquals(
        List.of(), RawRecords.readAll(bootstrap, topic + ".connect-dlq"), "nothing dead-lettered");
  }

  /**
   * When retrying does end (here at once: no retries), the task fails and describe says why in
   * PostgreSQL's words, and how to restart it; restarted, the task writes what it had not.
   */
  @Test
  void aFailedTaskSaysTheDatabasesReasonAndRestartsOnRequest() throws Exception {
    String topic = Topics.create(bootstrap, 1);
    String table = "failed_" + topic.replaceAll("[^a-z0-9]", "_");
    String name = "sink-" + topic;
    Path sink =
        sinkFor(
            topic,
            table,
            "flush.max.retries",
            "0",
            "connection.restart.on.errors",
            "false",
            "hibernate.c3p0.testConnectionOnCheckout",
            "false",
            "hibernate.c3p0.acquireRetryAttempts",
            "1");
    assertEquals(
        0, Cli.run("producer", "-b", bootstrap, "-t", topic, "--count", "100", "-q").exitCode());
    assertEquals(0, connectors("apply", name, "--file", sink.toString()).exitCode());
    await().atMost(Duration.ofMinutes(2)).until(() -> rowsOf(table) == 100);

    postgres.pause();
    Cli.Result described;
    try {
      assertEquals(
          0, Cli.run("producer", "-b", bootstrap, "-t", topic, "--count", "100", "-q").exitCode());
      await().atMost(Duration.ofMinutes(2)).until(() -> taskState(name).equals("FAILED"));
      described = connectors("describe", name);
    } finally {
      postgres.resume();
    }

    String failure =
        described.outLines().stream().filter(l -> l.contains("failure:")).findFirst().orElse("");
    assertTrue(
        failure.contains("Cause: ")
            && failure.toLowerCase(java.util.Locale.ROOT).contains("connect"),
        "the database's own reason, in one line: " + described);
    assertTrue(
        described.out().contains("connectors restart " + name + " --include-tasks --only-failed"),
        described::toString);
    assertEquals(0, connectors("restart", name, "--include-tasks", "--only-failed").exitCode());
    await().atMost(Duration.ofMinutes(2)).until(() -> rowsOf(table) == 200);
    assertEquals(
        List.of(), RawRecords.readAll(bootstrap, topic + ".connect-dlq"), "nothing dead-lettered");
  }

  @Test
  void applySecretsAndUnknownClassesAreEachOneClearLine() throws IOException {
    Path renamed = variant(SINK, Map.of("topics", "nowhere"));
    Cli.Result other = connectors("apply", "another-name", "--file", renamed.toString());
    assertEquals(2, other.exitCode(), other::toString);
    assertTrue(
        other.err().contains("is connector user-events-to-postgres, not another-name"),
        other::toString);

    Path unknownClass =
        variant(SINK, Map.of("connector.class", "com.example.NoSuchConnector", "topics", "x"));
    Cli.Result unknown =
        connectors("apply", "user-events-to-postgres", "--file", unknownClass.toString());
    assertEquals(2, unknown.exitCode(), unknown::toString);
    assertEquals(1, unknown.errLines().size(), unknown::toString);
    assertTrue(
        unknown.err().contains("Connect has no connector class com.example.NoSuchConnector")
            && unknown.err().contains("connectors plugins")
            && unknown.err().length() < 300,
        unknown::toString);

    String topic = Topics.create(bootstrap, 1);
    String name = "masked-" + topic;
    Path sink =
        variant(
            SINK,
            Map.of(
                "name",
                name,
                "topics",
                topic,
                "collection.name.format",
                "masked_" + topic.replaceAll("[^a-z0-9]", "_"),
                "connection.password",
                "s3cret-in-the-file"));
    assertEquals(0, connectors("apply", name, "--file", sink.toString()).exitCode());
    Cli.Result json = connectors("describe", name, "-o", "json");
    assertEquals(0, json.exitCode(), json::toString);
    assertFalse(json.out().contains("s3cret"), "masked as in the table view: " + json);
    assertEquals(
        "********",
        EventJson.mapper()
            .readTree(json.out())
            .path("info")
            .path("config")
            .path("connection.password")
            .asText(),
        json::toString);
    connectors("delete", name, "--yes");
  }

  @Test
  void connectorsSaysWhatConnectRefusesAndWhatItDoesNotKnow() throws IOException {
    Path bad =
        variant(SINK, Map.of("name", "bad-sink", "tasks.max", "several", "topics", "nowhere"));

    Cli.Result refused = connectors("apply", "bad-sink", "--file", bad.toString());
    Cli.Result unknown = connectors("describe", "no-such-connector");
    Cli.Result unreachable =
        Cli.run("connectors", "list", "--connect-url", "http://127.0.0.1:" + Ports.free());

    assertEquals(1, refused.exitCode(), refused::toString);
    assertTrue(
        refused.err().contains("invalid tasks.max: Invalid value several"), refused::toString);
    assertTrue(refused.err().contains("nothing was changed"), refused::toString);
    assertEquals(4, unknown.exitCode(), unknown::toString);
    assertTrue(unknown.err().contains("no-such-connector"), unknown::toString);
    assertEquals(1, unreachable.exitCode(), unreachable::toString);
    assertEquals(1, unreachable.errLines().size(), unreachable::toString);
    Cli.Result plugins = connectors("plugins");
    assertTrue(
        plugins.out().contains("io.debezium.connector.jdbc.JdbcSinkConnector"), plugins::toString);
    assertTrue(
        plugins.out().contains("io.debezium.connector.postgresql.PostgresConnector"),
        plugins::toString);
  }
}
