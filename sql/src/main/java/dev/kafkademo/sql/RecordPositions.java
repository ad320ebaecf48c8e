package dev.kafkademo.sql;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Where each value the table's consumer fetched came from, so that a record that fails a query can
 * be named by its position. Flink's Kafka connector hands a table format only the value's bytes;
 * this interceptor sees the records first and remembers each value (the same array the format gets,
 * a key by identity) with its topic, partition and offset, for as long as the value lives. Set on
 * the consumer only when a bad record fails the query.
 */
public final class RecordPositions implements ConsumerInterceptor<byte[], byte[]> {
  private static final Map<byte[], String> POSITIONS =
      Collections.synchronizedMap(new WeakHashMap<>());

  /**
   * The record, by its position as the consumer names records ({@code Record
   * topic-partition@offset}) where it is known, for the start of a sentence.
   */
  static String record(byte[] value) {
    String position = value == null ? null : POSITIONS.get(value);
    return position != null ? "Record " + position : "A record";
  }

  @Override
  public ConsumerRecords<byte[], byte[]> onConsume(ConsumerRecords<byte[], byte[]> records) {
    for (ConsumerRecord<byte[], byte[]> record : records) {
      if (record.value() != null) {
        POSITIONS.put(
            record.value(), record.topic() + "-" + record.partition() + "@" + record.offset());
      }
    }
    return records;
  }

  @Override
  public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {}

  @Override
  public void close() {}

  @Override
  public void configure(Map<String, ?> configs) {}
}
