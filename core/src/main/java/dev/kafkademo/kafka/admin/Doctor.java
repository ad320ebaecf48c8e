package dev.kafkademo.kafka.admin;

import dev.kafkademo.events.EventGenerator;
import dev.kafkademo.events.EventJson;
import dev.kafkademo.kafka.HostAndPort;
import dev.kafkademo.kafka.TlsProblems;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.security.ssl.DefaultSslEngineFactory;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The checks behind the guide's troubleshooting section. Each returns what it found as data (a
 * {@link Finding}); the command line turns findings into text and fixes.
 */
public final class Doctor {
  /** Where a write test goes, so that it never lands among the user's events. */
  public static final String WRITE_TEST_TOPIC = "kafka-demo.doctor";

  public enum Status {
    OK,
    WARN,
    FAIL,
    SKIPPED
  }

  /** What one check found. */
  public record Check(String name, Status status, Finding finding) {}

  /** The facts behind a check's outcome, one record per outcome. */
  public sealed interface Finding {}

  public record BootstrapAnswered(String bootstrap, int brokers) implements Finding {}

  public record BootstrapUnreachable(String bootstrap, Duration timeout, String reason)
      implements Finding {}

  public record AuthenticationFailed(String bootstrap, String reason) implements Finding {}

  /** A broker answered, but the TLS handshake failed; {@code reason} says what to check. */
  public record TlsFailed(String bootstrap, String reason) implements Finding {}

  /** The client spoke plaintext to an address that speaks TLS. */
  public record PlaintextToTls(String bootstrap) implements Finding {}

  /** The certificate the broker showed over TLS. */
  public record BrokerCertificate(String address, String subject, String issuer, Instant notAfter)
      implements Finding {}

  /** The handshake worked for the admin client, but reading the certificate did not. */
  public record CertificateUnread(String address, String reason) implements Finding {}

  /** A broker whose advertised address does not connect from here. */
  public record UnreachableBroker(int id, String host, int port, String reason) {}

  public record AdvertisedUnreachable(List<UnreachableBroker> brokers) implements Finding {}

  public record AdvertisedReachable() implements Finding {}

  /** {@code autoCreated}: the broker creates it on the first write, as the producer does. */
  public record TopicMissing(String topic, boolean autoCreated) implements Finding {}

  public record TopicLeaderless(String topic, long partitions) implements Finding {}

  public record TopicReady(String topic, int partitions) implements Finding {}

  public record OffsetsTopicLeaderless(long partitions) implements Finding {}

  public record OffsetsTopicReady(int replicationFactor) implements Finding {}

  public record OffsetsTopicOnFirstUse(int replicationFactor) implements Finding {}

  public record OffsetsTopicNeedsBrokers(int replicationFactor, int brokers) implements Finding {}

  /**
   * Partitions with a replica out of sync, as topic-partition names (at most the first few), and
   * how many there are; {@code underMinInsync} of them refuse acks=all writes.
   */
  public record UnderReplicated(List<String> partitions, int total, int underMinInsync)
      implements Finding {}

  public record FullyReplicated(int partitions) implements Finding {}

  public record GroupFound(
      String group, String state, int members, long committedPartitions, long totalLag)
      implements Finding {}

  public record GroupUnknown(String group) implements Finding {}

  public record WrittenAndRead(String partition, long offset, long millis) implements Finding {}

  public record WriteTopicMissing(String topic) implements Finding {}

  public record WriteFailed(String topic, String reason) implements Finding {}

  public record ReadBackMissing(String partition, long offset, Duration timeout)
      implements Finding {}

  /** Not run, because a check it depends on failed. */
  public record Skipped() implements Finding {}

  private final Properties clientProperties;
  private final Duration timeout;

  public Doctor(Properties clientProperties, Duration timeout) {
    this.clientProperties = clientProperties;
    this.timeout = timeout;
  }

  public List<Check> run(String topic, String group, boolean writeTest) {
    List<String> names =
        new ArrayList<>(
            List.of(
                "bootstrap",
                "advertised listeners",
                "topic",
                "offsets topic",
                "replication",
                "group"));
    if (writeTest) {
      names.add("write test");
    }
    boolean tls = TlsProblems.usesTls(clientProperties);
    if (tls) {
      names.add(1, "certificate");
    }
    List<Check> checks = new ArrayList<>();
    String bootstrap = clientProperties.getProperty("bootstrap.servers");
    Collection<Node> brokers;
    try {
      brokers = advertisedBrokers(bootstrap);
      checks.add(ok("bootstrap", new BootstrapAnswered(bootstrap, brokers.size())));
    } catch (AuthenticationException e) {
      Optional<String> tlsProblem = TlsProblems.describe(e);
      checks.add(
          fail(
              "bootstrap",
              tlsProblem.isPresent()
                  ? new TlsFailed(bootstrap, tlsProblem.get())
                  : new AuthenticationFailed(bootstrap, e.getMessage())));
      return skipRest(checks, names);
    } catch (RuntimeException | IOException e) {
      checks.add(
          fail(
              "bootstrap",
              !tls && TlsProblems.speaksTls(bootstrap, timeout)
                  ? new PlaintextToTls(bootstrap)
                  : new BootstrapUnreachable(bootstrap, timeout, describe(e))));
      return skipRest(checks, names);
    }
    if (tls) {
      checks.add(certificateCheck(bootstrap));
    }
    List<UnreachableBroker> unreachable = new ArrayList<>();
    for (Node node : brokers) {
      connectProblem(node.host(), node.port())
          .ifPresent(
              p -> unreachable.add(new UnreachableBroker(node.id(), node.host(), node.port(), p)));
    }
    if (!unreachable.isEmpty()) {
      checks.add(fail("advertised listeners", new AdvertisedUnreachable(unreachable)));
      return skipRest(checks, names);
    }
    checks.add(ok("advertised listeners", new AdvertisedReachable()));
    try (Cluster cluster = Cluster.connect(clientProperties, timeout)) {
      checks.add(topicCheck(cluster, topic));
      checks.add(offsetsTopicCheck(cluster));
      checks.add(replicationCheck(cluster));
      checks.add(groupCheck(cluster, group));
      if (writeTest) {
        checks.add(writeTestCheck(cluster));
      }
    }
    return checks;
  }

  /**
   * The certificate of the first bootstrap broker, read through a handshake with the client's own
   * TLS settings (Kafka's SSL engine factory: the same truststore, keystore and PEM handling). WARN
   * when it ends within 30 days.
   */
  private Check certificateCheck(String bootstrap) {
    HostAndPort first = HostAndPort.first(bootstrap);
    String address = first == null ? bootstrap : first.host() + ":" + first.port();
    DefaultSslEngineFactory factory = new DefaultSslEngineFactory();
    try {
      factory.configure(new AdminClientConfig(clientProperties).values());
      try (Socket plain = new Socket()) {
        int millis = (int) Math.min(timeout.toMillis(), 5000);
        plain.connect(new InetSocketAddress(first.host(), first.port()), millis);
        plain.setSoTimeout(millis);
        try (SSLSocket socket =
            (SSLSocket)
                factory
                    .sslContext()
                    .getSocketFactory()
                    .createSocket(plain, first.host(), first.port(), true)) {
          SSLParameters parameters = socket.getSSLParameters();
          parameters.setEndpointIdentificationAlgorithm(
              clientProperties.getProperty("ssl.endpoint.identification.algorithm", "https"));
          socket.setSSLParameters(parameters);
          socket.startHandshake();
          X509Certificate certificate =
              (X509Certificate) socket.getSession().getPeerCertificates()[0];
          Instant notAfter = certificate.getNotAfter().toInstant();
          BrokerCertificate finding =
              new BrokerCertificate(
                  address,
                  certificate.getSubjectX500Principal().getName(),
                  certificate.getIssuerX500Principal().getName(),
                  notAfter);
          return new Check(
              "certificate",
              notAfter.isBefore(Instant.now().plus(Duration.ofDays(30))) ? Status.WARN : Status.OK,
              finding);
        }
      }
    } catch (IOException | RuntimeException e) {
      return new Check(
          "certificate",
          Status.WARN,
          new CertificateUnread(address, TlsProblems.describe(e).orElse(describe(e))));
    } finally {
      factory.close();
    }
  }

  private static Check ok(String name, Finding finding) {
    return new Check(name, Status.OK, finding);
  }

  private static Check fail(String name, Finding finding) {
    return new Check(name, Status.FAIL, finding);
  }

  /**
   * The brokers as the bootstrap broker advertises them. On a plaintext connection asked directly,
   * so that wrong advertised addresses can be named (no public client API shows them without
   * connecting to them); otherwise through an admin client, which needs them to be right.
   */
  private Collection<Node> advertisedBrokers(String bootstrap) throws IOException {
    String protocol = clientProperties.getProperty("security.protocol", "PLAINTEXT");
    if (!protocol.equalsIgnoreCase("PLAINTEXT")) {
      try (Cluster cluster = Cluster.connect(clientProperties, timeout)) {
        return cluster.nodes();
      }
    }
    IOException last = null;
    for (String address : bootstrap.split(",")) {
      HostAndPort broker = HostAndPort.parse(address);
      if (broker == null) {
        continue;
      }
      try {
        return AdvertisedBrokers.fetch(broker.host(), broker.port(), timeout);
      } catch (IOException e) {
        last = e;
      }
    }
    throw last != null ? last : new IOException("no address in " + bootstrap);
  }

  private static String describe(Exception e) {
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }

  private static List<Check> skipRest(List<Check> checks, List<String> names) {
    for (String name : names) {
      if (checks.stream().noneMatch(c -> c.name().equals(name))) {
        checks.add(new Check(name, Status.SKIPPED, new Skipped()));
      }
    }
    return checks;
  }

  private Optional<String> connectProblem(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), (int) Math.min(timeout.toMillis(), 3000));
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of(describe(e));
    }
  }

  private static Check topicCheck(Cluster cluster, String topic) {
    Optional<TopicDescription> description = cluster.topics().find(topic);
    if (description.isEmpty()) {
      boolean autoCreated =
          Boolean.parseBoolean(cluster.brokerConfig("auto.create.topics.enable").orElse("false"));
      // A fresh broker has no topic yet: the producer creates it where the broker would.
      return new Check(
          "topic", autoCreated ? Status.WARN : Status.FAIL, new TopicMissing(topic, autoCreated));
    }
    long leaderless = Topics.leaderless(description.get());
    if (leaderless > 0) {
      return fail("topic", new TopicLeaderless(topic, leaderless));
    }
    return ok("topic", new TopicReady(topic, description.get().partitions().size()));
  }

  /** How many under-replicated partitions the doctor names; the count says the rest. */
  static final int NAMED_PARTITIONS = 10;

  /**
   * Every partition's in-sync replicas against its replicas: WARN when a copy lags (a broker is
   * down or behind), FAIL when fewer are in sync than the topic's min.insync.replicas.
   */
  private static Check replicationCheck(Cluster cluster) {
    Map<String, TopicDescription> topics =
        cluster.await(
            cluster
                .admin()
                .describeTopics(
                    cluster.await(
                        cluster
                            .admin()
                            .listTopics(new ListTopicsOptions().listInternal(true))
                            .names()))
                .allTopicNames());
    List<String> lagging = new ArrayList<>();
    int partitions = 0;
    int underMinInsync = 0;
    for (TopicDescription topic : new java.util.TreeMap<>(topics).values()) {
      partitions += topic.partitions().size();
      if (topic.partitions().stream().allMatch(p -> p.isr().size() >= p.replicas().size())) {
        continue;
      }
      underMinInsync += cluster.topics().underMinInsync(topic.name()).size();
      topic.partitions().stream()
          .filter(p -> p.isr().size() < p.replicas().size())
          .forEach(p -> lagging.add(topic.name() + "-" + p.partition()));
    }
    if (lagging.isEmpty()) {
      return ok("replication", new FullyReplicated(partitions));
    }
    return new Check(
        "replication",
        underMinInsync > 0 ? Status.FAIL : Status.WARN,
        new UnderReplicated(
            List.copyOf(lagging.subList(0, Math.min(NAMED_PARTITIONS, lagging.size()))),
            lagging.size(),
            underMinInsync));
  }

  private static Check offsetsTopicCheck(Cluster cluster) {
    Optional<TopicDescription> offsets = cluster.topics().find("__consumer_offsets");
    if (offsets.isPresent()) {
      long leaderless = Topics.leaderless(offsets.get());
      if (leaderless > 0) {
        return fail("offsets topic", new OffsetsTopicLeaderless(leaderless));
      }
      return ok(
          "offsets topic",
          new OffsetsTopicReady(offsets.get().partitions().get(0).replicas().size()));
    }
    int wanted =
        Integer.parseInt(cluster.brokerConfig("offsets.topic.replication.factor").orElse("3"));
    int brokers = cluster.nodes().size();
    if (wanted > brokers) {
      return fail("offsets topic", new OffsetsTopicNeedsBrokers(wanted, brokers));
    }
    return ok("offsets topic", new OffsetsTopicOnFirstUse(wanted));
  }

  private static Check groupCheck(Cluster cluster, String group) {
    try {
      Groups.Details details = cluster.groups().describe(group);
      long committed = details.partitions().stream().filter(p -> p.committed() != null).count();
      GroupFound found =
          new GroupFound(
              group, details.state(), details.members().size(), committed, details.totalLag());
      boolean unattended = details.totalLag() > 0 && details.members().isEmpty();
      return new Check("group", unattended ? Status.WARN : Status.OK, found);
    } catch (GroupIdNotFoundException e) {
      return new Check("group", Status.WARN, new GroupUnknown(group));
    }
  }

  private Check writeTestCheck(Cluster cluster) {
    long start = System.nanoTime();
    if (cluster.topics().ensure(WRITE_TEST_TOPIC) == Topics.Ensured.MISSING) {
      return fail("write test", new WriteTopicMissing(WRITE_TEST_TOPIC));
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
    } catch (ExecutionException e) {
      return fail(
          "write test", new WriteFailed(WRITE_TEST_TOPIC, describe((Exception) e.getCause())));
    } catch (java.util.concurrent.TimeoutException | InterruptedException | RuntimeException e) {
      return fail("write test", new WriteFailed(WRITE_TEST_TOPIC, describe(e)));
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
          if (record.offset() == written.offset() && Arrays.equals(record.value(), value)) {
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            return ok(
                "write test", new WrittenAndRead(partition.toString(), written.offset(), millis));
          }
        }
      }
    }
    return fail("write test", new ReadBackMissing(partition.toString(), written.offset(), timeout));
  }
}
