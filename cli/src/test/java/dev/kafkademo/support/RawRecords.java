package dev.kafkademo.support;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Plain Kafka clients for test setup and checks, independent of the code under test. */
public final class RawRecords {
  private RawRecords() {}

  /** Writes one record of text (a key and a value that need not be an event), acknowledged. */
  public static void sendText(String bootstrapServers, String topic, String key, String value) {
    send(
        bootstrapServers,
        List.of(
            new ProducerRecord<>(
                topic,
                key.getBytes(StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8))));
  }

  /** Writes the records in order, each acknowledged before the next. */
  public static void send(String bootstrapServers, List<ProducerRecord<byte[], byte[]>> records) {
    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrapServers);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (ProducerRecord<byte[], byte[]> record : records) {
        producer.send(record).get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  /** Every record in the topic, read from the start without a group. */
  public static List<ConsumerRecord<byte[], byte[]>> readAll(
      String bootstrapServers, String topic) {
    return readAll(bootstrapServers, topic, "read_uncommitted");
  }

  /** Every record of committed transactions (and outside any), as exactly-once readers see. */
  public static List<ConsumerRecord<byte[], byte[]>> readAllCommitted(
      String bootstrapServers, String topic) {
    return readAll(bootstrapServers, topic, "read_committed");
  }

  private static List<ConsumerRecord<byte[], byte[]>> readAll(
      String bootstrapServers, String topic, String isolation) {
    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrapServers);
    props.put("isolation.level", isolation);
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        consumer.poll(java.time.Duration.ofMillis(200)).forEach(records::add);
      }
      return records;
    }
  }

  /** The group's committed offset per partition (absent: nothing committed). */
  public static Map<TopicPartition, OffsetAndMetadata> committed(
      String bootstrapServers, String group) {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  /** The latest offset of each partition: how many records it holds from offset 0. */
  public static long totalRecords(String bootstrapServers, String topic) {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      List<TopicPartition> partitions = new ArrayList<>();
      admin
          .describeTopics(List.of(topic))
          .allTopicNames()
          .get()
          .get(topic)
          .partitions()
          .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
      Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
      partitions.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
      return admin.listOffsets(latest).all().get().values().stream()
          .mapToLong(r -> r.offset())
          .sum();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  /** The eventId of every record, which must each be a user event. */
  public static java.util.Set<String> eventIds(List<ConsumerRecord<byte[], byte[]>> records) {
    java.util.Set<String> ids = new java.util.HashSet<>();
    for (ConsumerRecord<byte[], byte[]> record : records) {
      try {
        ids.add(dev.kafkademo.events.EventJson.parse(record.value()).eventId().toString());
      } catch (dev.kafkademo.events.InvalidEventException e) {
        throw new AssertionError(e);
      }
    }
    return ids;
  }
}
