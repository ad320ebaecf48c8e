package dev.kafkademo;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kafkademo.broker.EmbeddedBroker;
import dev.kafkademo.events.EventJson;
import dev.kafkademo.events.EventType;
import dev.kafkademo.events.UserEvent;
import dev.kafkademo.support.Cli;
import dev.kafkademo.support.JarProcess;
import dev.kafkademo.support.KnownEvents;
import dev.kafkademo.support.Names;
import dev.kafkademo.support.Ports;
import dev.kafkademo.support.RawRecords;
import dev.kafkademo.support.TestBroker;
import dev.kafkademo.support.Topics;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The streams command against the embedded broker, as a user runs it and reads its outputs. */
class StreamsIT {
  private final String bootstrap = TestBroker.bootstrapServers();

  @TempDir Path dir;

  @Test
  void aKnownInputGivesExactlyTheExpectedResultsInAllThreeTopics() throws IOException {
    String topic = Topics.create(bootstrap, 1);
    Cli.Result produced = KnownEvents.send(bootstrap, topic, dir);
    assertEquals(1, produced.exitCode(), "the invalid line is rejected: " + produced);

    Cli.Result streams = runUntilCaughtUp(topic, "--format", "json");

    assertEquals(0, streams.exitCode(), streams::toString);
    assertEquals(
        List.of(
            "2026-11-01T10:00:00Z login 2",
            "2026-11-01T10:00:00Z page_view 1",
            "2026-11-01T10:00:00Z purchase 1",
            "2026-11-01T10:01:00Z purchase 2",
            "2026-11-01T10:40:00Z page_view 1"),
        values(topic + ".counts-per-type").stream()
            .map(
                c ->
                    c.get("windowStart").asText()
                        + " "
                        + c.get("eventType").asText()
                        + " "
                        + c.get("count").asLong())
            .toList());
    assertEquals(
        List.of("user-1 EUR 19.99 1", "user-2 USD 5.00 1", "user-1 EUR 20.00 2"),
        values(topic + ".revenue").stream()
            .map(
                r ->
                    r.get("userId").asText()
                        + " "
                        + r.get("currency").asText()
                        + " "
                        + r.get("total").decimalValue()
                        + " "
                        + r.get("purchases").asLong())
            .toList());
    assertEquals(
        List.of(
            "user-1 10:00:00 10:01:10 4 1 0 2 true",
            "user-2 10:00:30 10:01:05 2 0 0 1 true",
            "user-2 10:40:00 10:40:00 1 1 0 0 false"),
        values(topic + ".sessions").stream()
            .sorted(
                java.util.Comparator.comparing(
                    (JsonNode s) -> s.get("userId").asText() + s.get("start").asText()))
            .map(
                s ->
                    s.get("userId").asText()
                        + " "
                        + s.get("start").asText().substring(11, 19)
                        + " "
                        + s.get("end").asText().substring(11, 19)
                        + " "
                        + s.get("events").asLong()
                        + " "
                        + s.get("pageViews").asLong()
                        + " "
                        + s.get("addToCart").asLong()
                        + " "
                        + s.get("purchases").asLong()
                        + " "
                        + s.get("converted").asBoolean())
            .toList());
    assertEquals(5 + 3 + 3, streams.outLines().size(), "one JSON line per result: " + streams);
    assertTrue(streams.err().contains("skipped " + topic + "-0@"), streams::toString);
    assertTrue(
        streams.err().contains("Processed 9 events in")
            && streams.err().contains("5 windows closed, 3 revenue updates, 3 sessions closed")
            && streams
                .err()
                .contains("dropped 1 late events from the counts and 1 from the sessions")
            && streams.err().contains("skipped 1 invalid records"),
        streams::toString);
  }

  @Test
  void exactlyOnceSurvivesASigkillWithEveryClosedWindowCountedOnce() throws Exception {
    String topic = Topics.create(bootstrap, 3);
    String app = Names.unique("eos");
    Cli.Result produced =
        Cli.run(
            "producer",
            "-b",
            bootstrap,
            "-t",
            topic,
            "-n",
            "30000",
            "--users",
            "7",
            "--time-span",
            "6h",
            "--seed",
            "5",
            "-q");
    assertEquals(0, produced.exitCode(), produced::toString);

    JarProcess killed =
        JarProcess.start(
            "streams",
            "-b",
            bootstrap,
            "-t",
            topic,
            "--application-id",
            app,
            "--guarantee",
            "exactly-once",
            "--state-dir",
            dir.resolve("state").toString(),
            // The killed member holds its partitions until its session times out: 10 s, not 45.
            "-X",
            "session.timeout.ms=10000",
            "--http-port",
            "0",
            "--format",
            "json");
    await().atMost(Duration.ofSeconds(90)).until(() -> killed.outLines().size() >= 50);
    Runtime.getRuntime()
        .exec(new String[] {"kill", "-KILL", Long.toString(killed.pid())})
        .waitFor(10, TimeUnit.SECONDS);
    killed.waitFor(30);

    Cli.Result restarted =
        runUntilCaughtUp(
            topic,
            "--application-id",
            app,
            "--guarantee",
            "exactly-once",
            "--state-dir",
            dir.resolve("state").toString(),
            "--format",
            "none");
    assertEquals(0, restarted.exitCode(), restarted::toString);

    Map<String, Long> expected = new HashMap<>();
    Instant last = Instant.EPOCH;
    for (ConsumerRecord<byte[], byte[]> record : RawRecords.readAll(bootstrap, topic)) {
      UserEvent event = EventJson.parse(record.value());
      Instant window = event.timestamp().truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
      expected.merge(window + " " + event.eventType().jsonName(), 1L, Long::sum);
      last = event.timestamp().isAfter(last) ? event.timestamp() : last;
    }
    Map<String, Long> seen = new TreeMap<>();
    for (JsonNode count : committedValues(topic + ".counts-per-type")) {
      String key = count.get("windowStart").asText() + " " + count.get("eventType").asText();
      assertFalse(seen.containsKey(key), "each window's count once, across the kill: " + key);
      seen.put(key, count.get("count").asLong());
      assertEquals(expected.get(key), count.get("count").asLong(), "what the input holds: " + key);
    }
    Instant closedBefore = last.minus(Duration.ofMinutes(10));
    for (String key : expected.keySet()) {
      if (Instant.parse(key.substring(0, key.indexOf(' '))).isBefore(closedBefore)) {
        assertTrue(
            seen.containsKey(key), "every window closed well before the end is there: " + key);
      }
    }
  }

  /**
   * Partition 0's users log off an hour of event time before the others': once it has nothing left
   * to read, its stream time, stopped at its last event, holds no window back.
   */
  @Test
  void aPartitionWhoseEventsStopAnHourEarlierHoldsNoWindowBack() throws IOException {
    String topic = Topics.create(bootstrap, 3);
    List<org.apache.kafka.clients.producer.ProducerRecord<byte[], byte[]>> records =
        new ArrayList<>();
    Map<String, Long> expected = new TreeMap<>();
    long lastSecond = 2 * 3600 - 30;
    for (long second = 0; second <= lastSecond; second += 30) {
      for (int partition = 0; partition < 3; partition++) {
        if (partition == 0 && second >= 3600) {
          continue;
        }
        EventType type = EventType.values()[(int) ((second / 30 + partition) % 4)];
        String user = "user-" + partition;
        records.add(
            new org.apache.kafka.clients.producer.ProducerRecord<>(
                topic,
                partition,
                user.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                KnownEvents.event(user, type, second)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        // Closed by the end: every window that ends by the last event less the 10 s grace.
        if ((second / 60 + 1) * 60 <= lastSecond - 10) {
          Instant window = KnownEvents.T0.plusSeconds(second / 60 * 60);
          expected.merge(window + " " + type.jsonName(), 1L, Long::sum);
        }
      }
    }
    RawRecords.send(bootstrap, records);

    Cli.Result streams = runUntilCaughtUp(topic, "--format", "none");

    assertEquals(0, streams.exitCode(), streams::toString);
    Map<String, Long> emitted = new TreeMap<>();
    for (JsonNode count : values(topic + ".counts-per-type")) {
      Long before =
          emitted.put(
              count.get("windowStart").asText() + " " + count.get("eventType").asText(),
              count.get("count").asLong());
      assertEquals(null, before, "each window once: " + count);
    }
    assertEquals(expected, emitted, "every window behind the application's event time, exact");
  }

  /**
   * The quick start's temporary broker goes, the state directory stays: on a new cluster the same
   * events must give the same results, not be read on top of the old cluster's totals.
   */
  @Test
  void stateFromAnotherClusterIsNotUsedAndTheNewClusterGivesTheSameResults() throws Exception {
    String topic = Topics.create(bootstrap, 3);
    String app = Names.unique("owner");
    String state = dir.resolve("state").toString();
    Cli.Result produced =
        Cli.run(
            "producer",
            "-b",
            bootstrap,
            "-t",
            topic,
            "-n",
            "2000",
            "--time-span",
            "1h",
            "--seed",
            "1",
            "-q");
    assertEquals(0, produced.exitCode(), produced::toString);
    Cli.Result first =
        runUntilCaughtUp(topic, "--application-id", app, "--state-dir", state, "--format", "none");
    assertEquals(0, first.exitCode(), first::toString);
    Map<String, List<String>> before = results(bootstrap, topic);

    try (EmbeddedBroker other = EmbeddedBroker.start(EmbeddedBroker.Settings.ephemeral())) {
      String newCluster = other.bootstrapServers();
      Topics.create(newCluster, topic, 3);
      List<org.apache.kafka.clients.producer.ProducerRecord<byte[], byte[]>> same =
          new ArrayList<>();
      for (ConsumerRecord<byte[], byte[]> record : RawRecords.readAll(bootstrap, topic)) {
        same.add(
            new org.apache.kafka.clients.producer.ProducerRecord<>(
                topic, record.partition(), record.key(), record.value()));
      }
      RawRecords.send(newCluster, same);

      Cli.Result kept =
          runUntilCaughtUpOn(
              newCluster, topic, "--application-id", app, "--state-dir", state, "--keep-state");
      assertEquals(2, kept.exitCode(), kept::toString);
      assertTrue(
          kept.err().contains("was built from cluster ")
              && kept.err().contains("leave out --keep-state"),
          kept::toString);

      Cli.Result second =
          runUntilCaughtUpOn(
              newCluster, topic, "--application-id", app, "--state-dir", state, "--format", "none");

      assertEquals(0, second.exitCode(), second::toString);
      assertTrue(second.err().contains("starting from empty state"), second::toString);
      assertEquals(summary(first), summary(second), "nothing dropped as late: " + second);
      assertEquals(before, results(newCluster, topic), "the same windows, totals and sessions");
    }
  }

  /** What a run's summary counted: windows, updates, sessions, late and invalid events. */
  private static String summary(Cli.Result run) {
    String err = run.err();
    int counted = err.indexOf(" s: ", err.indexOf("Processed "));
    // Only the summary line: the state listener's last line (PENDING_SHUTDOWN -> NOT_RUNNING)
    // comes from another thread and may be printed before or after it.
    int end = err.indexOf('\n', counted);
    return err.substring(counted + 4, end < 0 ? err.length() : end).strip();
  }

  /** Each output topic's values as text, in the order a reader sees them per partition. */
  private static Map<String, List<String>> results(String cluster, String topic) {
    Map<String, List<String>> results = new TreeMap<>();
    for (String output : List.of(".counts-per-type", ".revenue", ".sessions")) {
      List<String> values = new ArrayList<>();
      for (ConsumerRecord<byte[], byte[]> record : RawRecords.readAll(cluster, topic + output)) {
        values.add(
            record.partition()
                + " "
                + new String(record.value(), java.nio.charset.StandardCharsets.UTF_8));
      }
      values.sort(null);
      results.put(output, values);
    }
    return results;
  }

  /**
   * A run that was killed holds its partitions until its session times out: the next run says so.
   * Stopping takes seconds in any state, and a clean stop leaves the group so that the next run is
   * assigned its partitions at once. (A second signal: BrokerOutageIT, where a cleanup is sure to
   * wait.)
   */
  @Test
  void stopsWithinSecondsInAnyStateAndARestartAfterACleanStopRunsAtOnce() throws Exception {
    String topic = Topics.create(bootstrap, 3);
    Cli.Result produced = Cli.run("producer", "-b", bootstrap, "-t", topic, "-n", "300", "-q");
    assertEquals(0, produced.exitCode(), produced::toString);
    String[] args = {
      "streams",
      "-b",
      bootstrap,
      "-t",
      topic,
      "--application-id",
      Names.unique("restart"),
      "--state-dir",
      dir.resolve("state").toString(),
      "--http-port",
      "0",
      "--format",
      "none",
      "-X",
      "session.timeout.ms=10000"
    };
    JarProcess crashed = JarProcess.start(args);
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> crashed.err().contains("-> RUNNING"));
    } finally {
      new ProcessBuilder("kill", "-KILL", Long.toString(crashed.pid())).start().waitFor();
      crashed.waitFor(30);
    }

    try (JarProcess waiting = JarProcess.start(args)) {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> waiting.err().contains("CREATED -> REBALANCING"));
      assertTrue(
          waiting.err().contains(" member already (")
              && waiting.err().contains("until its session times out (within 10s"),
          "says what it waits for, and how long: " + waiting);
      assertEquals(143, waiting.terminate(15), "stopped while rebalancing, within seconds");
      assertTrue(
          waiting.err().contains("Stopping: committing what was processed and leaving the group")
              && waiting.err().contains("Processed "),
          "says what it does, then the summary: " + waiting);
    }

    try (JarProcess running = JarProcess.start(args)) {
      await().atMost(Duration.ofSeconds(60)).until(() -> running.err().contains("-> RUNNING"));
      assertEquals(143, running.terminate(15), running::toString);
    }
    try (JarProcess restarted = JarProcess.start(args)) {
      await().atMost(Duration.ofSeconds(15)).until(() -> restarted.err().contains("-> RUNNING"));
      assertFalse(restarted.err().contains("member already"), "the group was left: " + restarted);

      assertEquals(143, restarted.terminate(15), restarted::toString);
    }
  }

  @Test
  void twoInstancesShareThePartitionsAndEachAnswersForEveryUser() throws Exception {
    String topic = Topics.create(bootstrap, 3);
    String app = Names.unique("queries");
    Map<String, BigDecimal> totals = new LinkedHashMap<>();
    List<String> lines = new ArrayList<>();
    for (int user = 1; user <= 6; user++) {
      BigDecimal amount = new BigDecimal(user + ".50");
      lines.add(KnownEvents.purchase("user-" + user, user, amount.toPlainString(), "EUR"));
      totals.put("user-" + user, amount);
    }
    Path input = Files.writeString(dir.resolve("purchases.jsonl"), String.join("\n", lines) + "\n");
    assertEquals(
        0,
        Cli.run("producer", "-b", bootstrap, "-t", topic, "--input", input.toString(), "-q")
            .exitCode());
    int[] ports = {Ports.free(), Ports.free()};
    List<JarProcess> instances = new ArrayList<>();
    try {
      for (int i = 0; i < 2; i++) {
        instances.add(
            JarProcess.start(
                "streams",
                "-b",
                bootstrap,
                "-t",
                topic,
                "--application-id",
                app,
                "--http-port",
                "" + ports[i],
                "--state-dir",
                dir.resolve("state-" + i).toString(),
                "--format",
                "none"));
      }
      HttpClient http = HttpClient.newHttpClient();
      for (int port : ports) {
        for (Map.Entry<String, BigDecimal> user : totals.entrySet()) {
          URI uri = URI.create("http://127.0.0.1:" + port + "/revenue/" + user.getKey());
          await()
              .atMost(Duration.ofSeconds(90))
              .ignoreExceptions() // refused until the server is up
              .until(
                  () ->
                      http.send(
                                  HttpRequest.newBuilder(uri).build(),
                                  HttpResponse.BodyHandlers.ofString())
                              .statusCode()
                          == 200);
          JsonNode answer =
              EventJson.mapper()
                  .readTree(
                      http.send(
                              HttpRequest.newBuilder(uri).build(),
                              HttpResponse.BodyHandlers.ofString())
                          .body());
          assertEquals(
              0,
              user.getValue().compareTo(answer.get("revenue").get(0).get("total").decimalValue()),
              answer.toString());
          // The user's visit is still going on (no event for 30 minutes has closed it): an open
          // session, answered by whichever instance is asked.
          JsonNode sessions =
              EventJson.mapper()
                  .readTree(
                      http.send(
                              HttpRequest.newBuilder(
                                      URI.create(
                                          "http://127.0.0.1:"
                                              + port
                                              + "/sessions/"
                                              + user.getKey()))
                                  .build(),
                              HttpResponse.BodyHandlers.ofString())
                          .body());
          assertEquals(1, sessions.get("sessions").size(), sessions.toString());
          assertEquals(1, sessions.get("sessions").get(0).get("purchases").asLong());
          assertTrue(sessions.get("sessions").get(0).get("converted").asBoolean());
        }
        HttpResponse<String> unknown =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/revenue/nobody"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(404, unknown.statusCode(), unknown.body());
      }
      for (JarProcess instance : instances) {
        assertTrue(instance.err().contains("-> RUNNING"), instance::toString);
      }
      for (JarProcess instance : instances) {
        assertEquals(143, instance.terminate(60), "SIGTERM closes cleanly: " + instance);
        assertTrue(instance.err().contains("Processed "), "and prints the summary: " + instance);
      }
    } finally {
      instances.forEach(JarProcess::close);
    }
  }

  @Test
  void aQueryPortInUseIsOneLineBeforeAnythingRuns() throws IOException {
    String topic = Topics.create(bootstrap, 1);
    try (java.net.ServerSocket taken =
        new java.net.ServerSocket(0, 0, java.net.InetAddress.getByName("127.0.0.1"))) {
      Cli.Result result =
          Cli.run(
              "streams",
              "-b",
              bootstrap,
              "-t",
              topic,
              "--http-port",
              "" + taken.getLocalPort(),
              "--state-dir",
              dir.toString(),
              "--application-id",
              Names.unique("port"));

      assertEquals(1, result.exitCode(), result::toString);
      assertEquals(
          "error: Port "
              + taken.getLocalPort()
              + " on 127.0.0.1 is already in use: pick another --http-port, or 0 to run without"
              + " queries",
          result.err().strip(),
          "that line and nothing else: " + result);
    }
  }

  private Cli.Result runUntilCaughtUp(String topic, String... options) {
    return runUntilCaughtUpOn(bootstrap, topic, options);
  }

  private Cli.Result runUntilCaughtUpOn(String cluster, String topic, String... options) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "streams",
                "-b",
                cluster,
                "-t",
                topic,
                "--http-port",
                "0",
                "--stop-when-caught-up"));
    if (!List.of(options).contains("--state-dir")) {
      args.addAll(List.of("--state-dir", dir.resolve("state-" + UUID.randomUUID()).toString()));
    }
    if (!List.of(options).contains("--application-id")) {
      args.addAll(List.of("--application-id", Names.unique("app")));
    }
    args.addAll(List.of(options));
    return Cli.run(args.toArray(String[]::new));
  }

  private List<JsonNode> values(String topic) throws IOException {
    List<JsonNode> values = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : RawRecords.readAll(bootstrap, topic)) {
      values.add(EventJson.mapper().readTree(record.value()));
    }
    return values;
  }

  private List<JsonNode> committedValues(String topic) throws IOException {
    List<JsonNode> values = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : RawRecords.readAllCommitted(bootstrap, topic)) {
      values.add(EventJson.mapper().readTree(record.value()));
    }
    return values;
  }
}
