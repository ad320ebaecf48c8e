package dev.kafkademo.kafka.consume;

import dev.kafkademo.events.UserEvent;
import dev.kafkademo.kafka.InvalidRecordPolicy;
import java.util.Collection;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Where the consume loop hands what it read; the CLI renders it. All calls come from the loop's
 * thread. {@link #processed} and {@link #beforeCommit} throw {@link OutputClosedException} once
 * their output can no longer be written.
 */
public interface RecordHandler {
  /**
   * @param event the record as an event, or null when the loop reads records raw
   */
  void processed(ConsumerRecord<byte[], byte[]> record, UserEvent event);

  /** A record that is not a valid event, and what the loop did with it. */
  void invalid(ConsumerRecord<byte[], byte[]> record, String reason, InvalidRecordPolicy action);

  default void assigned(Collection<TopicPartition> partitions) {}

  default void revoked(Collection<TopicPartition> partitions) {}

  /**
   * Called before offsets are committed: whatever was shown for the records must be out (flushed)
   * before they count as done.
   */
  default void beforeCommit() {}

  /**
   * After every poll, on the loop's thread: the one place the consumer may be asked for metrics.
   */
  default void afterPoll(org.apache.kafka.clients.consumer.Consumer<?, ?> consumer) {}
}
