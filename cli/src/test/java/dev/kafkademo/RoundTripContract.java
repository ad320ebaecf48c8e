package dev.kafkademo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kafkademo.events.EventGenerator;
import dev.kafkademo.events.EventJson;
import dev.kafkademo.events.UserEvent;
import dev.kafkademo.support.Cli;
import dev.kafkademo.support.Names;
import dev.kafkademo.support.RawRecords;
import dev.kafkademo.support.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The producer → broker → consumer round trip, driven through the commands as a user runs them.
 * Subclasses say which real broker: the embedded one always, a Confluent container when Docker is
 * there.
 */
abstract class RoundTripContract {
  private static final Pattern CONFIRMATION =
      Pattern.compile(
          "delivered (?<topic>.+)-(?<partition>\\d+)@(?<offset>\\d+) key=(?<key>\\S+) type=(?<type>\\S+) \\(.+ ms\\)");

  @TempDir Path dir;

  protected abstract String bootstrapServers();

  /** Where one event sits in the log, and what it is, as a user reads it in the output. */
  record Placed(int partition, long offset, String key, String type) {}

  @Test
  void everyGeneratedEventComesBackOnceIntactKeyedByUserInOrder() {
    String topic = Topics.create(bootstrapServers(), 3);
    int count = 300;

    Cli.Result produced =
        Cli.run(
            "producer",
            "-b",
            bootstrapServers(),
            "--topic",
            topic,
            "--count",
            "" + count,
            "--users",
            "7");
    assertEquals(0, produced.exitCode(), produced::toString);
    List<Placed> confirmed = confirmations(produced, topic);
    assertEquals(count, confirmed.size(), "one confirmation per event");
    assertTrue(
        produced.err().contains("Sent 300 events to " + topic + ": 300 acknowledged, 0 failed"),
        produced::toString);
    assertTrue(produced.err().contains("Acknowledgement latency: p50"), produced::toString);

    Cli.Result consumed = consumeJson(topic, Names.unique("group"), count);
    assertEquals(0, consumed.exitCode(), consumed::toString);
    List<JsonNode> read = jsonLines(consumed);

    assertEquals(count, read.size(), "every event read");
    assertEquals(
        count,
        read.stream().map(r -> r.at("/event/eventId").asText()).distinct().count(),
        "each exactly once");
    for (JsonNode record : read) {
      assertEquals(
          record.get("key").asText(),
          record.at("/event/userId").asText(),
          "the key is the user id");
    }
    Set<Placed> readPlaced =
        read.stream()
            .map(
                r ->
                    new Placed(
                        r.get("partition").asInt(),
                        r.get("offset").asLong(),
                        r.get("key").asText(),
                        r.at("/event/eventType").asText()))
            .collect(Collectors.toSet());
    assertEquals(
        new HashSet<>(confirmed),
        readPlaced,
        "read exactly where, and what, the producer confirmed");

    Map<String, Set<Integer>> partitionsPerUser = new HashMap<>();
    confirmed.forEach(
        p -> partitionsPerUser.computeIfAbsent(p.key(), k -> new HashSet<>()).add(p.partition()));
    partitionsPerUser.forEach(
        (user, partitions) -> assertEquals(1, partitions.size(), user + " is in one partition"));
    assertEquals(7, partitionsPerUser.size(), "seven users");

    Map<String, java.time.Instant> lastSeen = new HashMap<>();
    for (JsonNode record : read) { // per partition the consumer prints in log order
      java.time.Instant at = java.time.Instant.parse(record.at("/event/timestamp").asText());
      java.time.Instant before = lastSeen.put(record.get("key").asText(), at);
      assertTrue(
          before == null || !at.isBefore(before), "each user's events in the order they were made");
    }
  }

  @Test
  void eventsFromAFileArriveIntactWithUnknownFieldsKept() throws IOException {
    String topic = Topics.create(bootstrapServers(), 3);
    EventGenerator generator = new EventGenerator(4);
    List<UserEvent> events = new ArrayList<>();
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < 50; i++) {
      UserEvent event = generator.next();
      events.add(event);
      String json = new String(EventJson.toBytes(event), StandardCharsets.UTF_8);
      lines
          .append(i == 0 ? json.replace("{\"eventId\"", "{\"origin\":\"file\",\"eventId\"") : json)
          .append('\n');
    }
    Path input = dir.resolve("events.jsonl");
    Files.writeString(input, lines);

    Cli.Result produced =
        Cli.run(
            "producer", "-b", bootstrapServers(), "--topic", topic, "--input", input.toString());
    assertEquals(0, produced.exitCode(), produced::toString);

    Cli.Result consumed =
        Cli.consumer(
            bootstrapServers(),
            topic,
            Names.unique("group"),
            "--from-beginning",
            "--max-messages",
            "50",
            "--format",
            "value");
    assertEquals(0, consumed.exitCode(), consumed::toString);
    Map<String, UserEvent> byId = new HashMap<>();
    for (String line : consumed.outLines()) {
      UserEvent event = parse(line);
      byId.put(event.eventId().toString(), event);
      if (event.eventId().equals(events.get(0).eventId())) {
        assertTrue(
            line.startsWith("{\"origin\":\"file\""), "the line's own bytes were sent: " + line);
      }
    }
    assertEquals(50, consumed.outLines().size());
    for (UserEvent sent : events) {
      assertEquals(sent, byId.get(sent.eventId().toString()), "arrived intact");
    }
    assertEquals(
        idsPerUser(events),
        idsPerUser(consumed.outLines().stream().map(RoundTripContract::parse).toList()),
        "each user's events in file order");
  }

  @Test
  void twoRunsOfHalfTheEventsInOneGroupReadEachEventOnce() {
    String topic = Topics.create(bootstrapServers(), 3);
    String group = Names.unique("group");
    Cli.Result produced =
        Cli.run(
            "producer", "-b", bootstrapServers(), "--topic", topic, "--count", "1000", "--quiet");
    assertEquals(0, produced.exitCode(), produced::toString);
    assertEquals("", produced.out(), "--quiet prints no confirmations");

    List<String> first = eventIds(consumeJson(topic, group, 500));
    List<String> second = eventIds(consumeJson(topic, group, 500));
    Cli.Result third =
        Cli.consumer(bootstrapServers(), topic, group, "--idle-timeout", "2s", "--format", "json");

    assertEquals(500, first.size());
    assertEquals(500, second.size());
    Set<String> all = new HashSet<>(first);
    all.addAll(second);
    assertEquals(1000, all.size(), "no event read twice, none missed");
    assertEquals(0, third.exitCode(), third::toString);
    assertEquals("", third.out(), "nothing left for the group");
    assertTrue(third.err().contains("Processed 0 events"), third::toString);
  }

  @Test
  void recordsThatAreNotEventsAreReportedAndSkippedWhileTheOthersAreProcessed() throws Exception {
    String topic = Topics.create(bootstrapServers(), 1);
    UserEvent first = new EventGenerator(2).next();
    UserEvent second = new EventGenerator(2).next();
    UserEvent third = new EventGenerator(2).next();
    List<byte[]> values =
        List.of(
            EventJson.toBytes(first),
            "not json".getBytes(StandardCharsets.UTF_8),
            EventJson.toBytes(second),
            "{\"eventId\":\"x\"}".getBytes(StandardCharsets.UTF_8),
            new byte[0],
            "{\"eventId\":\"0b6f1c7e-3f3a-4c1e-9a53-2f1d1e0c9a11\",\"userId\":1,\"eventType\":\"login\",\"timestamp\":\"2026-01-01T00:00:00Z\",\"properties\":{}}"
                .getBytes(StandardCharsets.UTF_8),
            EventJson.toBytes(third));
    RawRecords.send(
        bootstrapServers(),
        values.stream()
            .map(v -> new ProducerRecord<>(topic, "k".getBytes(StandardCharsets.UTF_8), v))
            .toList());

    Cli.Result consumed = consumeJson(topic, Names.unique("group"), 3);

    assertEquals(0, consumed.exitCode(), consumed::toString);
    assertEquals(
        List.of(
            first.eventId().toString(), second.eventId().toString(), third.eventId().toString()),
        eventIds(consumed));
    assertTrue(
        consumed.err().contains("skipped " + topic + "-0@1: not valid JSON"), consumed::toString);
    assertTrue(
        consumed.err().contains("skipped " + topic + "-0@3: eventId 'x' is not a UUID"),
        consumed::toString);
    assertTrue(
        consumed.err().contains("skipped " + topic + "-0@4: empty value"), consumed::toString);
    assertTrue(
        consumed.err().contains("skipped " + topic + "-0@5: field userId must be a string"),
        consumed::toString);
    assertTrue(consumed.err().contains("Processed 3 events"), consumed::toString);
    assertTrue(consumed.err().contains("skipped 4 invalid records"), consumed::toString);
    assertTrue(consumed.err().contains("Committed offsets: " + topic + "-0=7"), consumed::toString);
  }

  private Cli.Result consumeJson(String topic, String group, int max) {
    return Cli.consumer(
        bootstrapServers(),
        topic,
        group,
        "--from-beginning",
        "--max-messages",
        "" + max,
        "--format",
        "json");
  }

  private static List<Placed> confirmations(Cli.Result produced, String topic) {
    List<Placed> placed = new ArrayList<>();
    for (String line : produced.outLines()) {
      Matcher m = CONFIRMATION.matcher(line);
      assertTrue(m.matches(), "a confirmation line: " + line);
      assertEquals(topic, m.group("topic"));
      placed.add(
          new Placed(
              Integer.parseInt(m.group("partition")),
              Long.parseLong(m.group("offset")),
              m.group("key"),
              m.group("type")));
    }
    return placed;
  }

  private static Map<String, List<java.util.UUID>> idsPerUser(List<UserEvent> events) {
    Map<String, List<java.util.UUID>> ids = new HashMap<>();
    events.forEach(e -> ids.computeIfAbsent(e.userId(), k -> new ArrayList<>()).add(e.eventId()));
    return ids;
  }

  private static List<JsonNode> jsonLines(Cli.Result consumed) {
    List<JsonNode> nodes = new ArrayList<>();
    for (String line : consumed.outLines()) {
      try {
        nodes.add(EventJson.mapper().readTree(line));
      } catch (IOException e) {
        throw new AssertionError("stdout carries only JSON lines, got: " + line, e);
      }
    }
    return nodes;
  }

  private static List<String> eventIds(Cli.Result consumed) {
    return jsonLines(consumed).stream().map(r -> r.at("/event/eventId").asText()).toList();
  }

  private static UserEvent parse(String line) {
    try {
      return EventJson.parse(line.getBytes(StandardCharsets.UTF_8));
    } catch (dev.kafkademo.events.InvalidEventException e) {
      throw new AssertionError("not an event: " + line, e);
    }
  }
}
