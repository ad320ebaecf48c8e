package dev.kafkademo.kafka.consume;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.header.Header;

/**
 * Forwards records that are not valid events to a dead-letter topic: the same key and value bytes
 * and original headers, plus headers that say what was wrong and where the record came from.
 */
public final class DeadLetterQueue {
  public static final String ERROR_HEADER = "dlq.error";
  public static final String SOURCE_TOPIC_HEADER = "dlq.source.topic";
  public static final String SOURCE_PARTITION_HEADER = "dlq.source.partition";
  public static final String SOURCE_OFFSET_HEADER = "dlq.source.offset";

  private final Producer<byte[], byte[]> producer;
  private final String topic;

  public DeadLetterQueue(Producer<byte[], byte[]> producer, String topic) {
    this.producer = producer;
    this.topic = topic;
  }

  /**
   * Writes the record and waits for the acknowledgement, so that its offset is committed only once
   * the copy is safe.
   *
   * @throws KafkaException when the write fails; the caller must not commit past the record
   */
  public void forward(ConsumerRecord<byte[], byte[]> record, String reason) {
    ProducerRecord<byte[], byte[]> copy = copyOf(record, reason, topic);
    try {
      producer.send(copy).get();
    } catch (ExecutionException e) {
      throw new KafkaException(
          "Could not write "
              + record.topic()
              + "-"
              + record.partition()
              + "@"
              + record.offset()
              + " to the dead-letter topic "
              + topic
              + ": "
              + e.getCause().getMessage(),
          e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptException(e);
    }
  }

  /**
   * The dead-letter record for {@code record}: its key, value and headers, and the dlq.* headers
   * that say why and where from. Kafka Streams' handlers send the same records.
   */
  public static ProducerRecord<byte[], byte[]> copyOf(
      ConsumerRecord<byte[], byte[]> record, String reason, String deadLetterTopic) {
    ProducerRecord<byte[], byte[]> copy =
        new ProducerRecord<>(deadLetterTopic, record.key(), record.value());
    for (Header header : record.headers()) {
      copy.headers().add(header);
    }
    copy.headers()
        .add(ERROR_HEADER, utf8(reason))
        .add(SOURCE_TOPIC_HEADER, utf8(record.topic()))
        .add(SOURCE_PARTITION_HEADER, utf8(String.valueOf(record.partition())))
        .add(SOURCE_OFFSET_HEADER, utf8(String.valueOf(record.offset())));
    return copy;
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
