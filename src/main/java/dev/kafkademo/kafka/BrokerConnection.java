package dev.kafkademo.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * An admin connection opened before a command starts its real work, so that a wrong address or a
 * stopped stack ends in one clear message within a bounded time instead of endless client retries.
 */
public final class BrokerConnection implements AutoCloseable {
  private final Admin admin;
  private final Duration timeout;
  private final Collection<Node> nodes;

  private BrokerConnection(Admin admin, Duration timeout, Collection<Node> nodes) {
    this.admin = admin;
    this.timeout = timeout;
    this.nodes = nodes;
  }

  /**
   * Connects and asks the cluster for its brokers.
   *
   * @param clientProperties the command's client settings (address, security); only the ones an
   *     admin client knows are used
   * @throws BrokerUnreachableException when no broker answers within {@code timeout}
   */
  public static BrokerConnection open(Properties clientProperties, Duration timeout) {
    String bootstrap = clientProperties.getProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
    Admin admin = Admin.create(adminProperties(clientProperties, timeout));
    try {
      Collection<Node> nodes = get(admin.describeCluster().nodes(), timeout);
      return new BrokerConnection(admin, timeout, nodes);
    } catch (TimeoutException e) {
      admin.close(Duration.ZERO);
      throw new BrokerUnreachableException(bootstrap, timeout, e);
    } catch (RuntimeException e) {
      admin.close(Duration.ZERO);
      throw e instanceof org.apache.kafka.common.errors.TimeoutException
          ? new BrokerUnreachableException(bootstrap, timeout, e)
          : e;
    }
  }

  public Collection<Node> nodes() {
    return nodes;
  }

  public boolean topicExists(String topic) {
    try {
      Set<String> names =
          get(admin.listTopics(new ListTopicsOptions().listInternal(true)).names(), timeout);
      return names.contains(topic);
    } catch (TimeoutException e) {
      throw new org.apache.kafka.common.errors.TimeoutException(
          "Listing topics took longer than " + Durations.format(timeout), e);
    }
  }

  /**
   * Creates a missing topic the way the broker would on the first write (its default partitions and
   * replication factor), but only if the broker creates topics automatically, and waits until every
   * partition has a leader.
   *
   * <p>Why not leave it to the first write: a producer that writes into a partition while the
   * broker is still creating it can lose a batch despite idempotence (KAFKA-15591, fixed after
   * Kafka 4.4).
   *
   * @return the number of partitions created, or empty when the broker does not create topics
   *     automatically
   */
  public Optional<Integer> createLikeAutoCreation(String topic) {
    try {
      if (!autoCreatesTopics()) {
        return Optional.empty();
      }
      try {
        get(
            admin
                .createTopics(List.of(new NewTopic(topic, Optional.empty(), Optional.empty())))
                .all(),
            timeout);
      } catch (TopicExistsException e) {
        // someone else created it in the meantime: just as good
      }
      return Optional.of(awaitLeaders(topic));
    } catch (TimeoutException e) {
      throw new org.apache.kafka.common.errors.TimeoutException(
          "Creating topic " + topic + " took longer than " + Durations.format(timeout), e);
    }
  }

  @Override
  public void close() {
    admin.close(timeout);
  }

  private boolean autoCreatesTopics() throws TimeoutException {
    ConfigResource broker =
        new ConfigResource(
            ConfigResource.Type.BROKER, String.valueOf(nodes.iterator().next().id()));
    Config config = get(admin.describeConfigs(List.of(broker)).all(), timeout).get(broker);
    ConfigEntry entry = config.get("auto.create.topics.enable");
    return entry != null && Boolean.parseBoolean(entry.value());
  }

  private int awaitLeaders(String topic) throws TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        TopicDescription description =
            get(admin.describeTopics(List.of(topic)).allTopicNames(), timeout).get(topic);
        if (description.partitions().stream()
            .allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
          return description.partitions().size();
        }
      } catch (UnknownTopicOrPartitionException e) {
        // the metadata has not reached this broker yet
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("no leader for every partition of " + topic);
      }
      sleepBriefly();
    }
  }

  private static void sleepBriefly() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptException(e);
    }
  }

  private static Properties adminProperties(Properties clientProperties, Duration timeout) {
    Properties props = new Properties();
    for (String name : AdminClientConfig.configNames()) {
      String value = clientProperties.getProperty(name);
      if (value != null) {
        props.put(name, value);
      }
    }
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, "kafka-demo-admin");
    int millis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(millis));
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(millis));
    return props;
  }

  /** Waits for an admin result; Kafka's own failure comes out as itself, not wrapped. */
  private static <T> T get(org.apache.kafka.common.KafkaFuture<T> future, Duration timeout)
      throws TimeoutException {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException runtime
          ? runtime
          : new KafkaException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptException(e);
    }
  }
}
