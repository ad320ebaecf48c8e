package dev.kafkademo.kafka.consume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kafkademo.events.EventDecoder;
import dev.kafkademo.events.EventJson;
import dev.kafkademo.events.EventType;
import dev.kafkademo.events.UserEvent;
import dev.kafkademo.kafka.InvalidRecordPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/** The consume loop over Kafka's MockConsumer: its commits, with no broker. */
class EventConsumerLoopTest {
  private static final TopicPartition PARTITION = new TopicPartition("user-events", 0);

  /** A consumer whose synchronous commits time out, as with the broker gone at the end. */
  private static final class BrokerGoneAtCommit extends MockConsumer<byte[], byte[]> {
    final List<Duration> commitTimeouts = new ArrayList<>();

    BrokerGoneAtCommit() {
      super("earliest");
    }

    @Override
    public synchronized void commitSync(
        Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
      commitTimeouts.add(timeout);
      throw new TimeoutException("Timeout of " + timeout.toMillis() + "ms expired");
    }
  }

  private static byte[] event(int n) {
    return EventJson.toBytes(
        new UserEvent(UUID.randomUUID(), "user-" + n, EventType.LOGIN, Instant.now(), Map.of()));
  }

  @Test
  void aFinalCommitThatFailsIsBoundedAndSaidWithoutReplacingWhatWasProcessed() {
    BrokerGoneAtCommit consumer = new BrokerGoneAtCommit();
    consumer.schedulePollTask(
        () -> {
          consumer.rebalance(List.of(PARTITION));
          consumer.updateBeginningOffsets(Map.of(PARTITION, 0L));
          for (int offset = 0; offset < 3; offset++) {
            consumer.addRecord(
                new ConsumerRecord<>("user-events", 0, offset, new byte[0], event(offset)));
          }
        });
    List<String> shown = new ArrayList<>();
    EventConsumerLoop loop =
        new EventConsumerLoop(
            consumer,
            "user-events",
            new RecordHandler() {
              @Override
              public void processed(ConsumerRecord<byte[], byte[]> record, UserEvent event) {
                shown.add(event.userId());
              }

              @Override
              public void invalid(
                  ConsumerRecord<byte[], byte[]> record,
                  String reason,
                  InvalidRecordPolicy action) {}
            },
            new EventConsumerLoop.Limits(3, Duration.ofSeconds(5), Duration.ofSeconds(2)),
            new EventConsumerLoop.OnInvalid(InvalidRecordPolicy.SKIP, null),
            EventDecoder.JSON);

    ConsumeResult result = loop.run();

    assertEquals(List.of("user-0", "user-1", "user-2"), shown);
    assertEquals(3, result.processed(), "the run's result stands");
    assertEquals(List.of(Duration.ofSeconds(2)), consumer.commitTimeouts, "bounded by --timeout");
    assertTrue(result.commitFailure().contains("Timeout of 2000ms expired"), result::toString);
    assertNull(result.stoppedAt());
  }
}
