package dev.kafkademo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kafkademo.events.EventJson;
import dev.kafkademo.events.EventType;
import dev.kafkademo.events.InvalidEventException;
import dev.kafkademo.events.UserEvent;
import dev.kafkademo.support.Cli;
import dev.kafkademo.support.RawRecords;
import dev.kafkademo.support.TestBroker;
import dev.kafkademo.support.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** The producer's generated events as they arrive in the topic: journeys, seeds, simulated time. */
class GeneratedEventsIT {
  private final String bootstrap = TestBroker.bootstrapServers();

  @Test
  void theSameSeedSendsTheSameEvents() throws InvalidEventException {
    String first = Topics.create(bootstrap, 3);
    String second = Topics.create(bootstrap, 3);

    produce(first, "--count", "300", "--seed", "7");
    produce(second, "--count", "300", "--seed", "7");

    assertEquals(
        withoutTimestamps(events(first)),
        withoutTimestamps(events(second)),
        "the same users, types, properties and ids in the same order per partition");
  }

  @Test
  void aTimeSpanSpreadsEachUsersVisitsOverSimulatedTimeEndingNow() throws InvalidEventException {
    String topic = Topics.create(bootstrap, 3);
    Instant before = Instant.now();

    produce(topic, "--count", "2000", "--users", "4", "--time-span", "6h", "--seed", "3");

    Instant after = Instant.now();
    Map<String, List<UserEvent>> byUser = new HashMap<>();
    for (UserEvent event : events(topic)) {
      assertTrue(event.timestamp().isAfter(before.minus(Duration.ofHours(6))), event.toString());
      assertFalse(event.timestamp().isAfter(after), event.toString());
      byUser.computeIfAbsent(event.userId(), u -> new ArrayList<>()).add(event);
    }
    assertEquals(4, byUser.size());
    for (List<UserEvent> journey : byUser.values()) {
      assertEquals(EventType.LOGIN, journey.get(0).eventType(), "a visit starts with a login");
      long visits = journey.stream().filter(e -> e.eventType() == EventType.LOGIN).count();
      assertTrue(visits >= 2, "6 hours hold several visits: " + visits);
      for (int i = 1; i < journey.size(); i++) {
        assertFalse(
            journey.get(i).timestamp().isBefore(journey.get(i - 1).timestamp()),
            "a user's events are in time order in their partition");
      }
    }
  }

  private void produce(String topic, String... options) {
    List<String> args = new ArrayList<>(List.of("producer", "-b", bootstrap, "-t", topic, "-q"));
    args.addAll(List.of(options));
    Cli.Result result = Cli.run(args.toArray(String[]::new));
    assertEquals(0, result.exitCode(), result::toString);
  }

  /** The topic's events, partition by partition in offset order. */
  private List<UserEvent> events(String topic) throws InvalidEventException {
    List<ConsumerRecord<byte[], byte[]>> records =
        new ArrayList<>(RawRecords.readAll(bootstrap, topic));
    records.sort(
        java.util.Comparator.comparingInt((ConsumerRecord<byte[], byte[]> r) -> r.partition())
            .thenComparingLong(ConsumerRecord::offset));
    List<UserEvent> events = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : records) {
      events.add(EventJson.parse(record.value()));
    }
    return events;
  }

  private static List<String> withoutTimestamps(List<UserEvent> events) {
    return events.stream()
        .map(e -> e.eventId() + " " + e.userId() + " " + e.eventType() + " " + e.properties())
        .toList();
  }
}
