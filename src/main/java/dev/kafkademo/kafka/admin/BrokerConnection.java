package dev.kafkademo.kafka.admin;

import dev.kafkademo.kafka.BrokerUnreachableException;
import dev.kafkademo.kafka.Durations;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;
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
    AdminRequests.Connected connected = AdminRequests.connect(clientProperties, timeout);
    return new BrokerConnection(connected.admin(), timeout, connected.nodes());
  }

  public Collection<Node> nodes() {
    return nodes;
  }

  public boolean topicExists(String topic) {
    return AdminRequests.await(
            admin.listTopics(new ListTopicsOptions().listInternal(true)).names(), timeout)
        .contains(topic);
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
    if (!autoCreatesTopics()) {
      return Optional.empty();
    }
    try {
      AdminRequests.await(
          admin
              .createTopics(List.of(new NewTopic(topic, Optional.empty(), Optional.empty())))
              .all(),
          timeout);
    } catch (TopicExistsException e) {
      // someone else created it in the meantime: just as good
    }
    return Optional.of(awaitLeaders(topic));
  }

  @Override
  public void close() {
    admin.close(timeout);
  }

  private boolean autoCreatesTopics() {
    ConfigResource broker =
        new ConfigResource(
            ConfigResource.Type.BROKER, String.valueOf(nodes.iterator().next().id()));
    Config config =
        AdminRequests.await(admin.describeConfigs(List.of(broker)).all(), timeout).get(broker);
    ConfigEntry entry = config.get("auto.create.topics.enable");
    return entry != null && Boolean.parseBoolean(entry.value());
  }

  private int awaitLeaders(String topic) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        TopicDescription description =
            AdminRequests.await(admin.describeTopics(List.of(topic)).allTopicNames(), timeout)
                .get(topic);
        if (description.partitions().stream()
            .allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
          return description.partitions().size();
        }
      } catch (UnknownTopicOrPartitionException e) {
        // the metadata has not reached this broker yet
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException(
            "Topic "
                + topic
                + " has no leader for every partition after "
                + Durations.format(timeout));
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
}
