package dev.kafkademo.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The safe defaults of our clients, and the settings the commands rely on and therefore fix. Keys
 * and values travel as bytes: the key is the user id in UTF-8 and the value the event's JSON, which
 * {@code kafka-console-consumer}, kcat and Kafka UI all show as text.
 */
public final class ClientDefaults {
  private ClientDefaults() {}

  /** Largest batch per partition: 16 batches of small events a second were the bottleneck. */
  public static final int BATCH_SIZE = 256 * 1024;

  /**
   * How long a batch may wait to fill; the cost in latency is at most this, when traffic is light.
   * The client's own default since Kafka 4.0: 10 ms sent a million events no faster (6.2 s against
   * 6.4 s, within the noise) and doubled the wait at moderate rates.
   */
  public static final int LINGER_MS = 5;

  /**
   * acks=all with idempotence: every acknowledged event is in the log once, in order. Idempotence
   * is the client's own default and is left to its rules: it turns idempotence off by itself when
   * the user picks fewer acks, and refuses acks other than all when the user asks for idempotence.
   * Larger batches than the client's 16 KiB (see docs/performance.md): the same safety, 2-3 times
   * the throughput.
   *
   * @param maxBlock how long a send may wait for metadata or buffer room; null: not set here
   */
  public static Map<String, String> producer(Duration maxBlock) {
    Map<String, String> defaults = new java.util.HashMap<>();
    defaults.put(ProducerConfig.CLIENT_ID_CONFIG, "kafka-demo-producer");
    defaults.put(ProducerConfig.ACKS_CONFIG, "all");
    defaults.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(BATCH_SIZE));
    defaults.put(ProducerConfig.LINGER_MS_CONFIG, String.valueOf(LINGER_MS));
    if (maxBlock != null) {
      defaults.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(maxBlock.toMillis()));
    }
    return defaults;
  }

  /** Fixes the serializers: keys and values are bytes. */
  public static Properties finishProducer(Properties props) {
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return props;
  }

  public static Map<String, String> consumer(String group, boolean fromBeginning) {
    return Map.of(
        ConsumerConfig.CLIENT_ID_CONFIG,
        "kafka-demo-consumer",
        ConsumerConfig.GROUP_ID_CONFIG,
        group,
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
        fromBeginning ? "earliest" : "latest",
        // A consumer waits for a missing topic; it never creates one (a typo must not make topics).
        ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG,
        "false",
        // Bigger polls than the client's 500: fewer trips through the loop per event.
        ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
        "2000");
  }

  /** Fixes what the consume loop relies on: byte deserializers and no auto-commit. */
  public static Properties finishConsumer(Properties props) {
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    return props;
  }
}
