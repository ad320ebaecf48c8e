package dev.kafkademo.kafka.admin;

import dev.kafkademo.events.EventGenerator;
import dev.kafkademo.events.EventJson;
import dev.kafkademo.kafka.Durations;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** The checks behind the guide's troubleshooting section, each with what to do when it fails. */
public final class Doctor {
  /** Where a write test goes, so that it never lands among the user's events. */
  public static final String WRITE_TEST_TOPIC = "kafka-demo.doctor";

  public enum Status {
    OK,
    WARN,
    FAIL,
    SKIPPED
  }

  public record Check(String name, Status status, String detail, String fix) {}

  private final Properties clientProperties;
  private final Duration timeout;

  public Doctor(Properties clientProperties, Duration timeout) {
    this.clientProperties = clientProperties;
    this.timeout = timeout;
  }

  public List<Check> run(String topic, String group, boolean writeTest) {
    List<Check> checks = new ArrayList<>();
    String bootstrap = clientProperties.getProperty("bootstrap.servers");
    Collection<Node> brokers;
    try {
      brokers = advertisedBrokers(bootstrap);
      checks.add(
          new Check(
              "bootstrap",
              Status.OK,
              bootstrap + " answered: " + brokers.size() + " broker(s)",
              null));
    } catch (RuntimeException | IOException e) {
      checks.add(
          new Check(
              "bootstrap",
              Status.FAIL,
              "no broker answered at "
                  + bootstrap
                  + " within "
                  + Durations.format(timeout)
                  + " ("
                  + describe(e)
                  + ")",
              "start the broker (docker-compose up -d, or kafka-demo broker) and check --bootstrap-server"));
      skipRest(checks, writeTest);
      return checks;
    }
    List<String> unreachable = new ArrayList<>();
    for (Node node : brokers) {
      Optional<String> problem = connectProblem(node.host(), node.port());
      problem.ifPresent(
          p ->
              unreachable.add(
                  "broker "
                      + node.id()
                      + " advertises "
                      + node.host()
                      + ":"
                      + node.port()
                      + ", "
                      + p));
    }
    if (!unreachable.isEmpty()) {
      checks.add(
          new Check(
              "advertised listeners",
              Status.FAIL,
              String.join("; ", unreachable),
              "the first connection works, but clients are then sent to the advertised address: set advertised.listeners"
                  + " (KAFKA_ADVERTISED_LISTENERS) for the listener you use to an address reachable from here,"
                  + " localhost:9092 from the host, kafka:29092 from containers"));
      skipRest(checks, writeTest);
      return checks;
    }
    checks.add(
        new Check(
            "advertised listeners",
            Status.OK,
            "every broker's advertised address connects from here",
            null));
    try (ClusterAdmin admin = ClusterAdmin.connect(clientProperties, timeout)) {
      checks.add(topicCheck(admin, topic));
      checks.add(offsetsTopicCheck(admin, brokers));
      checks.add(groupCheck(admin, group));
    }
    if (writeTest) {
      checks.add(writeTestCheck());
    }
    return checks;
  }

  /**
   * The brokers as the bootstrap broker advertises them. On a plaintext connection asked directly,
   * so that wrong advertised addresses can be named; otherwise through an admin client, which needs
   * them to be right.
   */
  private Collection<Node> advertisedBrokers(String bootstrap) throws IOException {
    String protocol = clientProperties.getProperty("security.protocol", "PLAINTEXT");
    if (!protocol.equalsIgnoreCase("PLAINTEXT")) {
      try (BrokerConnection connection = BrokerConnection.open(clientProperties, timeout)) {
        return connection.nodes();
      }
    }
    IOException last = null;
    for (String address : bootstrap.split(",")) {
      String trimmed = address.trim();
      int colon = trimmed.lastIndexOf(':');
      try {
        return AdvertisedBrokers.fetch(
            trimmed.substring(0, colon), Integer.parseInt(trimmed.substring(colon + 1)), timeout);
      } catch (IOException e) {
        last = e;
      }
    }
    throw last != null ? last : new IOException("no address in " + bootstrap);
  }

  private static String describe(Exception e) {
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }

  private static void skipRest(List<Check> checks, boolean writeTest) {
    List<String> rest =
        new ArrayList<>(List.of("advertised listeners", "topic", "offsets topic", "group"));
    if (writeTest) {
      rest.add("write test");
    }
    for (String name : rest) {
      if (checks.stream().noneMatch(c -> c.name().equals(name))) {
        checks.add(new Check(name, Status.SKIPPED, "needs the checks above", null));
      }
    }
  }

  private Optional<String> connectProblem(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), (int) Math.min(timeout.toMillis(), 3000));
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of("which cannot be reached from here (" + e.getMessage() + ")");
    }
  }

  private static Check topicCheck(ClusterAdmin admin, String topic) {
    Optional<TopicDescription> description = admin.findTopic(topic);
    if (description.isEmpty()) {
      return new Check(
          "topic",
          Status.FAIL,
          topic + " does not exist",
          "create it (kafka-demo topics create " + topic + ") or let the first producer create it");
    }
    long leaderless =
        description.get().partitions().stream()
            .filter(p -> p.leader() == null || p.leader().isEmpty())
            .count();
    if (leaderless > 0) {
      return new Check(
          "topic",
          Status.FAIL,
          topic + ": " + leaderless + " partition(s) without a leader",
          "start the brokers that hold them");
    }
    return new Check(
        "topic",
        Status.OK,
        topic + " exists with " + description.get().partitions().size() + " partition(s)",
        null);
  }

  private static Check offsetsTopicCheck(ClusterAdmin admin, Collection<Node> brokers) {
    Optional<TopicDescription> offsets = admin.findTopic("__consumer_offsets");
    if (offsets.isPresent()) {
      int replicas = offsets.get().partitions().get(0).replicas().size();
      long leaderless =
          offsets.get().partitions().stream()
              .filter(p -> p.leader() == null || p.leader().isEmpty())
              .count();
      if (leaderless > 0) {
        return new Check(
            "offsets topic",
            Status.FAIL,
            leaderless + " partition(s) of __consumer_offsets have no leader",
            "start the brokers that hold them: groups cannot commit");
      }
      return new Check(
          "offsets topic",
          Status.OK,
          "__consumer_offsets exists, replication factor " + replicas,
          null);
    }
    int brokerId = brokers.iterator().next().id();
    int wanted =
        Integer.parseInt(
            admin.brokerConfig(brokerId, "offsets.topic.replication.factor").orElse("3"));
    if (wanted > brokers.size()) {
      return new Check(
          "offsets topic",
          Status.FAIL,
          "__consumer_offsets does not exist and would need "
              + wanted
              + " replicas, but there are "
              + brokers.size()
              + " broker(s)",
          "set offsets.topic.replication.factor (KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR) to "
              + brokers.size()
              + " or fewer: until then no group gets partitions");
    }
    return new Check(
        "offsets topic",
        Status.OK,
        "__consumer_offsets is created on first use, replication factor " + wanted,
        null);
  }

  private static Check groupCheck(ClusterAdmin admin, String group) {
    try {
      ClusterAdmin.GroupDetails details = admin.describeGroup(group);
      long committed = details.partitions().stream().filter(p -> p.committed() != null).count();
      String detail =
          group
              + ": "
              + details.state()
              + ", "
              + details.members().size()
              + " member(s), committed offsets on "
              + committed
              + " partition(s), total lag "
              + details.totalLag();
      if (details.totalLag() > 0 && details.members().isEmpty()) {
        return new Check(
            "group",
            Status.WARN,
            detail,
            "no consumer is running in the group: start one to work off the lag");
      }
      return new Check("group", Status.OK, detail, null);
    } catch (GroupIdNotFoundException e) {
      return new Check(
          "group",
          Status.WARN,
          group + " has no committed offsets yet",
          "a new group starts at the latest events: use consumer --from-beginning to read the older ones");
    }
  }

  private Check writeTestCheck() {
    long start = System.nanoTime();
    try (BrokerConnection connection = BrokerConnection.open(clientProperties, timeout)) {
      if (!connection.topicExists(WRITE_TEST_TOPIC)
          && connection.createLikeAutoCreation(WRITE_TEST_TOPIC).isEmpty()) {
        return new Check(
            "write test",
            Status.FAIL,
            WRITE_TEST_TOPIC + " does not exist and the broker does not create topics",
            "create it: kafka-demo topics create " + WRITE_TEST_TOPIC);
      }
    }
    byte[] value = EventJson.toBytes(new EventGenerator(1).next());
    Properties producerProps = new Properties();
    producerProps.putAll(clientProperties);
    producerProps.put("max.block.ms", String.valueOf(timeout.toMillis()));
    producerProps.put("delivery.timeout.ms", String.valueOf(Math.max(timeout.toMillis(), 1000)));
    producerProps.put("request.timeout.ms", String.valueOf(Math.max(timeout.toMillis() - 1, 500)));
    producerProps.put("linger.ms", "0");
    RecordMetadata written;
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(producerProps, new ByteArraySerializer(), new ByteArraySerializer())) {
      written =
          producer
              .send(
                  new ProducerRecord<>(
                      WRITE_TEST_TOPIC, "doctor".getBytes(StandardCharsets.UTF_8), value))
              .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      return new Check(
          "write test",
          Status.FAIL,
          "could not write to " + WRITE_TEST_TOPIC + ": " + e.getMessage(),
          "see the producer section of the troubleshooting guide");
    }
    Properties consumerProps = new Properties();
    consumerProps.putAll(clientProperties);
    consumerProps.remove("group.id");
    TopicPartition partition = new TopicPartition(WRITE_TEST_TOPIC, written.partition());
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            consumerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.assign(List.of(partition));
      consumer.seek(partition, written.offset());
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.offset() == written.offset()
              && java.util.Arrays.equals(record.value(), value)) {
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            return new Check(
                "write test",
                Status.OK,
                "wrote and read back "
                    + partition
                    + "@"
                    + written.offset()
                    + " in "
                    + millis
                    + " ms",
                null);
          }
        }
      }
    }
    return new Check(
        "write test",
        Status.FAIL,
        "wrote "
            + partition
            + "@"
            + written.offset()
            + " but could not read it back within "
            + Durations.format(timeout),
        "check the consumer's access to the topic");
  }
}
