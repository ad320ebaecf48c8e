package dev.kafkademo.kafka.admin;

import dev.kafkademo.kafka.BrokerUnreachableException;
import dev.kafkademo.kafka.Durations;
import dev.kafkademo.kafka.TlsProblems;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * One admin connection to a cluster, the layer under every command that asks the cluster something
 * (topics, groups, doctor, and the producer and consumer before they start). It is opened with a
 * check that the cluster answers, so that a wrong address or a stopped broker ends in one clear
 * message within the timeout instead of endless client retries; every later request is bounded by
 * the same timeout.
 */
public final class Cluster implements AutoCloseable {
  private final Admin admin;
  private final Duration timeout;
  private final Collection<Node> nodes;

  private Cluster(Admin admin, Duration timeout, Collection<Node> nodes) {
    this.admin = admin;
    this.timeout = timeout;
    this.nodes = nodes;
  }

  /**
   * Connects and asks the cluster for its brokers.
   *
   * @param clientProperties the command's client settings (address, security); only those an admin
   *     client knows are used
   * @throws BrokerUnreachableException when no broker answers within {@code timeout}
   */
  public static Cluster connect(Properties clientProperties, Duration timeout) {
    String bootstrap = clientProperties.getProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
    Admin admin = Admin.create(adminProperties(clientProperties, timeout));
    try {
      return new Cluster(admin, timeout, await(admin.describeCluster().nodes(), timeout));
    } catch (TimeoutException e) {
      admin.close(Duration.ZERO);
      // A plaintext client meeting a TLS port sees only silence: the port is asked for TLS.
      throw new BrokerUnreachableException(
          bootstrap,
          timeout,
          e,
          !TlsProblems.usesTls(clientProperties) && TlsProblems.speaksTls(bootstrap, timeout));
    } catch (RuntimeException e) {
      admin.close(Duration.ZERO);
      throw e;
    }
  }

  /** The brokers the cluster named when it was connected to. */
  public Collection<Node> nodes() {
    return nodes;
  }

  /** The cluster's id, which every broker of it shares and a new cluster does not. */
  public String id() {
    return await(admin.describeCluster().clusterId());
  }

  public Topics topics() {
    return new Topics(this);
  }

  public Groups groups() {
    return new Groups(this);
  }

  public Acls acls() {
    return new Acls(this);
  }

  /** A setting of the first broker the cluster named, as it is in force, or empty. */
  public Optional<String> brokerConfig(String name) {
    ConfigResource broker =
        new ConfigResource(
            ConfigResource.Type.BROKER, String.valueOf(nodes.iterator().next().id()));
    ConfigEntry entry = await(admin.describeConfigs(List.of(broker)).all()).get(broker).get(name);
    return Optional.ofNullable(entry).map(ConfigEntry::value);
  }

  @Override
  public void close() {
    admin.close(timeout);
  }

  Admin admin() {
    return admin;
  }

  Duration timeout() {
    return timeout;
  }

  <T> T await(KafkaFuture<T> future) {
    return await(future, timeout);
  }

  /** The offset at {@code spec} (earliest, latest) of each partition. */
  Map<TopicPartition, Long> offsets(Collection<TopicPartition> partitions, OffsetSpec spec) {
    if (partitions.isEmpty()) {
      return Map.of();
    }
    Map<TopicPartition, OffsetSpec> request =
        partitions.stream().collect(Collectors.toMap(tp -> tp, tp -> spec));
    Map<TopicPartition, Long> offsets = new HashMap<>();
    await(admin.listOffsets(request).all()).forEach((tp, info) -> offsets.put(tp, info.offset()));
    return offsets;
  }

  /** The admin settings among the command's client settings, with every wait bounded by timeout. */
  static Properties adminProperties(Properties clientProperties, Duration timeout) {
    Properties props = new Properties();
    for (String name : AdminClientConfig.configNames()) {
      String value = clientProperties.getProperty(name);
      if (value != null) {
        props.put(name, value);
      }
    }
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, "kafka-demo-admin");
    String millis = String.valueOf(Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis())));
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis);
    return props;
  }

  /**
   * Waits for an admin result. Kafka's own failure comes out as itself, not wrapped; no answer in
   * time is Kafka's TimeoutException.
   */
  private static <T> T await(KafkaFuture<T> future, Duration timeout) {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException runtime
          ? runtime
          : new KafkaException(e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw new TimeoutException(
          "No answer from the cluster within " + Durations.format(timeout), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptException(e);
    }
  }
}
