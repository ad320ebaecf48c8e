package dev.kafkademo.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kafkademo.events.EventType;
import dev.kafkademo.kafka.InvalidRecordPolicy;
import dev.kafkademo.kafka.consume.DeadLetterQueue;
import dev.kafkademo.streams.Results.Revenue;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

class InvalidEventsTest {
  private static final byte[] BROKEN = "{broken".getBytes(StandardCharsets.UTF_8);

  @Test
  void anInvalidRecordIsSkippedAndTheNextOnesAreProcessed() {
    try (TopologyFixture topology = new TopologyFixture(InvalidRecordPolicy.SKIP)) {
      topology.input.pipeInput("user-1", BROKEN);
      topology.buy("user-1", 0, "3.00", "EUR");

      assertEquals(1, topology.invalid.size(), topology.invalid::toString);
      assertTrue(topology.invalid.get(0).contains("not valid JSON"), topology.invalid::toString);
      assertEquals(1, topology.eventsRead.get(), "only the valid event is read");
      assertEquals(1, topology.results(topology.settings.revenueTopic(), Revenue.class).size());
    }
  }

  @Test
  void withDlqTheRecordGoesToTheDeadLetterTopicWithTheConsumersHeaders() {
    try (TopologyFixture topology = new TopologyFixture(InvalidRecordPolicy.DLQ)) {
      topology.input.pipeInput("user-1", BROKEN);
      topology.send("user-1", EventType.LOGIN, 0);

      TestRecord<byte[], byte[]> dead = topology.deadLetters().readRecord();
      assertEquals("{broken", new String(dead.value(), StandardCharsets.UTF_8));
      assertEquals("user-1", new String(dead.key(), StandardCharsets.UTF_8));
      assertEquals(
          TopologyFixture.INPUT,
          new String(
              dead.headers().lastHeader(DeadLetterQueue.SOURCE_TOPIC_HEADER).value(),
              StandardCharsets.UTF_8));
      assertTrue(
          new String(
                  dead.headers().lastHeader(DeadLetterQueue.ERROR_HEADER).value(),
                  StandardCharsets.UTF_8)
              .startsWith("not valid JSON"));
      assertEquals(1, topology.eventsRead.get());
    }
  }

  @Test
  void withFailTheApplicationStopsAtTheRecord() {
    try (TopologyFixture topology = new TopologyFixture(InvalidRecordPolicy.FAIL)) {
      assertThrows(StreamsException.class, () -> topology.input.pipeInput("user-1", BROKEN));
      assertEquals(0, topology.eventsRead.get());
    }
  }
}
