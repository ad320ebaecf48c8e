package dev.kafkademo.kafka.consume;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;

/**
 * Where reading a partition starts when it is not where the group left off: a point in time ({@code
 * --from-time}) or the last N records ({@code --tail}). Applied once per partition, when the
 * partition is first assigned in a run.
 */
public interface StartingPoint {
  /** The offset to seek to in each of {@code partitions}. */
  Map<TopicPartition, Long> offsets(Consumer<?, ?> consumer, Collection<TopicPartition> partitions);

  /**
   * The first record whose timestamp is at or after {@code time} (Kafka's offsetsForTimes); a time
   * after a partition's last record starts at its end.
   */
  static StartingPoint fromTime(Instant time) {
    return new StartingPoint() {
      @Override
      public Map<TopicPartition, Long> offsets(
          Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(tp -> query.put(tp, time.toEpochMilli()));
        Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        Map<TopicPartition, Long> offsets = new HashMap<>();
        for (TopicPartition tp : partitions) {
          OffsetAndTimestamp at = found.get(tp);
          offsets.put(tp, at == null ? end.get(tp) : at.offset());
        }
        return offsets;
      }

      @Override
      public String toString() {
        return "from " + time;
      }
    };
  }

  /**
   * The last {@code n} offsets of each partition (kcat's {@code -o -N}), or all of a partition that
   * holds fewer.
   */
  static StartingPoint lastOf(long n) {
    if (n < 0) {
      throw new IllegalArgumentException("the number of last records must be 0 or more, got " + n);
    }
    return new StartingPoint() {
      @Override
      public Map<TopicPartition, Long> offsets(
          Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        Map<TopicPartition, Long> start = consumer.beginningOffsets(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        Map<TopicPartition, Long> offsets = new HashMap<>();
        for (TopicPartition tp : partitions) {
          offsets.put(tp, Math.max(start.get(tp), end.get(tp) - n));
        }
        return offsets;
      }

      @Override
      public String toString() {
        return "the last " + n;
      }
    };
  }
}
