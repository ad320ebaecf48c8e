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
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.clients.consumer.RetriableCommitFailedException;
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

  private static final TopicPartition OTHER = new TopicPartition("user-events", 1);

  /** A consumer that keeps every synchronous commit, in order, and can fail its async ones. */
  private static final class RecordingConsumer extends MockConsumer<byte[], byte[]> {
    final List<Map<TopicPartition, OffsetAndMetadata>> syncCommits = new ArrayList<>();
    final List<Map<TopicPartition, OffsetAndMetadata>> failedAsyncCommits = new ArrayList<>();
    boolean failAsyncCommits;

    RecordingConsumer() {
      super("earliest");
    }

    @Override
    public synchronized void commitSync(
        Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
      syncCommits.add(Map.copyOf(offsets));
      super.commitSync(offsets);
    }

    @Override
    public synchronized void commitAsync(
        Map<TopicPartition, OffsetAndMetadata> offsets, OffsetCommitCallback callback) {
      // MockConsumer's commitSync is its commitAsync without a callback: that one succeeds.
      if (failAsyncCommits && callback != null) {
        failedAsyncCommits.add(Map.copyOf(offsets));
        callback.onComplete(offsets, new RetriableCommitFailedException("coordinator moved"));
        return;
      }
      super.commitAsync(offsets, callback);
    }

    void records(TopicPartition partition, int from, int to) {
      for (int offset = from; offset < to; offset++) {
        addRecord(
            new ConsumerRecord<>(
                partition.topic(), partition.partition(), offset, new byte[0], event(offset)));
      }
    }

    void records(TopicPartition partition, int offset, byte[] value) {
      addRecord(
          new ConsumerRecord<>(
              partition.topic(), partition.partition(), offset, new byte[0], value));
    }

    long committed(TopicPartition partition) {
      OffsetAndMetadata offset = committed(java.util.Set.of(partition)).get(partition);
      return offset == null ? -1 : offset.offset();
    }
  }

  /** Keeps what the loop hands it; can close its output at the n-th record. */
  private static final class Shown implements RecordHandler {
    final List<Long> offsets = new ArrayList<>();
    final List<List<TopicPartition>> revoked = new ArrayList<>();
    int closeAt = -1;

    @Override
    public void processed(ConsumerRecord<byte[], byte[]> record, UserEvent event) {
      if (offsets.size() == closeAt) {
        throw new OutputClosedException();
      }
      offsets.add(record.offset());
    }

    @Override
    public void invalid(
        ConsumerRecord<byte[], byte[]> record, String reason, InvalidRecordPolicy action) {}

    @Override
    public void revoked(java.util.Collection<TopicPartition> partitions) {
      revoked.add(List.copyOf(partitions));
    }
  }

  private static ConsumeResult run(
      RecordingConsumer consumer, Shown shown, Duration idle, InvalidRecordPolicy onInvalid) {
    return new EventConsumerLoop(
            consumer,
            "user-events",
            shown,
            new EventConsumerLoop.Limits(0, idle, Duration.ofSeconds(2)),
            new EventConsumerLoop.OnInvalid(onInvalid, null),
            EventDecoder.JSON)
        .run();
  }

  @Test
  void aRevokedPartitionsProgressIsCommittedBeforeAnotherMemberGetsIt() {
    RecordingConsumer consumer = new RecordingConsumer();
    consumer.schedulePollTask(
        () -> {
          consumer.rebalance(List.of(PARTITION, OTHER));
          consumer.updateBeginningOffsets(Map.of(PARTITION, 0L, OTHER, 0L));
          consumer.records(PARTITION, 0, 3);
          consumer.records(OTHER, 0, 2);
        });
    consumer.schedulePollTask(() -> consumer.rebalance(List.of(OTHER)));
    Shown shown = new Shown();

    ConsumeResult result = run(consumer, shown, Duration.ofMillis(200), InvalidRecordPolicy.SKIP);

    assertEquals(5, result.processed());
    assertEquals(List.of(List.of(PARTITION)), shown.revoked);
    assertEquals(
        List.of(
            Map.of(PARTITION, new OffsetAndMetadata(3)), Map.of(OTHER, new OffsetAndMetadata(2))),
        consumer.syncCommits,
        "the revoked partition at once, the one kept at the end");
    assertEquals(Map.of(PARTITION, 3L, OTHER, 2L), result.committed());
  }

  @Test
  void aLostPartitionIsNotCommittedOverItsNewOwnersProgress() {
    RecordingConsumer consumer = new RecordingConsumer();
    consumer.schedulePollTask(
        () -> {
          consumer.rebalance(List.of(PARTITION));
          consumer.updateBeginningOffsets(Map.of(PARTITION, 0L));
          consumer.records(PARTITION, 0, 3);
        });
    consumer.schedulePollTask(() -> consumer.losePartitions(List.of(PARTITION)));
    Shown shown = new Shown();

    ConsumeResult result = run(consumer, shown, Duration.ofMillis(200), InvalidRecordPolicy.SKIP);

    assertEquals(List.of(0L, 1L, 2L), shown.offsets);
    assertEquals(List.of(List.of(PARTITION)), shown.revoked, "the handler hears it is gone");
    assertEquals(List.of(), consumer.syncCommits);
    assertEquals(-1, consumer.committed(PARTITION));
    assertEquals(Map.of(), result.committed());
  }

  @Test
  void aFailedAsyncCommitIsCoveredByTheFinalOne() {
    RecordingConsumer consumer = new RecordingConsumer();
    consumer.failAsyncCommits = true;
    consumer.schedulePollTask(
        () -> {
          consumer.rebalance(List.of(PARTITION));
          consumer.updateBeginningOffsets(Map.of(PARTITION, 0L));
          consumer.records(PARTITION, 0, 4);
        });
    Shown shown = new Shown();

    // Idle for longer than the commit interval (500 ms): an async commit is tried, and fails.
    ConsumeResult result = run(consumer, shown, Duration.ofMillis(900), InvalidRecordPolicy.SKIP);

    assertEquals(List.of(Map.of(PARTITION, new OffsetAndMetadata(4))), consumer.failedAsyncCommits);
    assertEquals(List.of(Map.of(PARTITION, new OffsetAndMetadata(4))), consumer.syncCommits);
    assertEquals(4, consumer.committed(PARTITION));
    assertEquals(Map.of(PARTITION, 4L), result.committed());
    assertNull(result.commitFailure());
  }

  @Test
  void anOutputClosedMidBatchCommitsOnlyWhatWasKnownToBeOut() {
    RecordingConsumer consumer = new RecordingConsumer();
    consumer.schedulePollTask(
        () -> {
          consumer.rebalance(List.of(PARTITION));
          consumer.updateBeginningOffsets(Map.of(PARTITION, 0L));
          consumer.records(PARTITION, 0, 5);
        });
    Shown shown = new Shown();
    shown.closeAt = 2; // stdout's reader went away at the third record

    ConsumeResult result = run(consumer, shown, Duration.ofSeconds(5), InvalidRecordPolicy.SKIP);

    assertTrue(result.outputClosed());
    assertEquals(List.of(0L, 1L), shown.offsets);
    // Records 0 and 1 were written but never flushed: the group reads them again.
    assertEquals(0, consumer.committed(PARTITION));
    assertEquals(2, result.processed());
  }

  @Test
  void anInvalidRecordUnderFailStopsTheGroupExactlyThere() {
    RecordingConsumer consumer = new RecordingConsumer();
    consumer.schedulePollTask(
        () -> {
          consumer.rebalance(List.of(PARTITION));
          consumer.updateBeginningOffsets(Map.of(PARTITION, 0L));
          consumer.records(PARTITION, 0, 2);
          consumer.records(
              PARTITION, 2, "not json".getBytes(java.nio.charset.StandardCharsets.UTF_8));
          consumer.records(PARTITION, 3, 5);
        });
    Shown shown = new Shown();

    ConsumeResult result = run(consumer, shown, Duration.ofSeconds(5), InvalidRecordPolicy.FAIL);

    assertEquals(List.of(0L, 1L), shown.offsets);
    assertTrue(result.stoppedAt().startsWith("user-events-0@2: "), result.stoppedAt());
    assertEquals(2, consumer.committed(PARTITION), "a rerun starts at the invalid record");
  }

  @Test
  void filteredRecordsAreCountedAndCommittedLikeShownOnes() {
    RecordingConsumer consumer = new RecordingConsumer();
    consumer.schedulePollTask(
        () -> {
          consumer.rebalance(List.of(PARTITION));
          consumer.updateBeginningOffsets(Map.of(PARTITION, 0L));
          consumer.records(PARTITION, 0, 6);
        });
    Shown shown = new Shown();

    ConsumeResult result =
        new EventConsumerLoop(
                consumer,
                new EventConsumerLoop.Source(
                    "user-events", List.of(), null, (record, event) -> record.offset() % 2 == 0),
                shown,
                new EventConsumerLoop.Limits(0, Duration.ofMillis(200), Duration.ofSeconds(2)),
                new EventConsumerLoop.OnInvalid(InvalidRecordPolicy.SKIP, null),
                EventDecoder.JSON)
            .run();

    assertEquals(List.of(0L, 2L, 4L), shown.offsets);
    assertEquals(3, result.processed());
    assertEquals(3, result.filtered());
    assertEquals(6, consumer.committed(PARTITION), "the filtered ones are not read again");
  }

  @Test
  void assignedPartitionsStartAtTheTailAndStillCommitForTheGroup() {
    RecordingConsumer consumer = new RecordingConsumer();
    consumer.updateBeginningOffsets(Map.of(PARTITION, 0L, OTHER, 0L));
    consumer.updateEndOffsets(Map.of(PARTITION, 5L, OTHER, 2L));
    consumer.schedulePollTask(() -> consumer.records(PARTITION, 0, 5));
    Shown shown = new Shown();

    ConsumeResult result =
        new EventConsumerLoop(
                consumer,
                new EventConsumerLoop.Source(
                    "user-events", List.of(0), StartingPoint.lastOf(2), null),
                shown,
                new EventConsumerLoop.Limits(0, Duration.ofMillis(200), Duration.ofSeconds(2)),
                new EventConsumerLoop.OnInvalid(InvalidRecordPolicy.SKIP, null),
                EventDecoder.JSON)
            .run();

    assertEquals(List.of(3L, 4L), shown.offsets, "the last two of partition 0 only");
    assertEquals(java.util.Set.of(PARTITION), consumer.assignment());
    assertEquals(5, consumer.committed(PARTITION));
    assertEquals(Map.of(PARTITION, 5L), result.committed());
  }
}
