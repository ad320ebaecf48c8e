package dev.kafkademo.kafka.admin;

import dev.kafkademo.kafka.Durations;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.AlterConfigsOptions;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** Topics as {@code kafka-topics} shows them, and the one way our commands create a topic. */
public final class Topics {
  private final Cluster cluster;

  Topics(Cluster cluster) {
    this.cluster = cluster;
  }

  /** One line of a topic list. */
  public record Summary(String name, int partitions, int replicationFactor, boolean internal) {}

  /** One partition as describe shows it. */
  public record PartitionDetails(
      int partition,
      Integer leader,
      List<Integer> replicas,
      List<Integer> isr,
      boolean underReplicated,
      long earliestOffset,
      long latestOffset) {}

  /** A topic with its partitions and the settings it has of its own (not the broker's defaults). */
  public record Details(
      String name,
      String topicId,
      List<PartitionDetails> partitions,
      Map<String, String> configs) {}

  /** What {@link #ensure} found or did. */
  public enum Ensured {
    /** The topic was there already. */
    EXISTED,
    /** It was missing and is now created with the broker's defaults, every partition led. */
    CREATED,
    /** It is missing, and the broker does not create topics on first use, so neither did we. */
    MISSING
  }

  public List<Summary> list() {
    Set<String> names =
        cluster.await(
            cluster.admin().listTopics(new ListTopicsOptions().listInternal(true)).names());
    return cluster.await(cluster.admin().describeTopics(names).allTopicNames()).values().stream()
        .map(
            d ->
                new Summary(
                    d.name(),
                    d.partitions().size(),
                    d.partitions().get(0).replicas().size(),
                    d.isInternal()))
        .sorted(Comparator.comparing(Summary::name))
        .toList();
  }

  public boolean exists(String name) {
    return find(name).isPresent();
  }

  public Optional<TopicDescription> find(String name) {
    try {
      return Optional.of(
          cluster.await(cluster.admin().describeTopics(List.of(name)).allTopicNames()).get(name));
    } catch (UnknownTopicOrPartitionException e) {
      return Optional.empty();
    }
  }

  /**
   * Whether this client may do each of {@code operations} on the topic, as the broker's ACLs say
   * (without trying them). A topic that does not exist yet is no refusal.
   *
   * @throws org.apache.kafka.common.errors.TopicAuthorizationException naming the topic, when an
   *     operation is not allowed (or the topic may not even be described)
   */
  public void requireAllowed(String name, Collection<AclOperation> operations) {
    TopicDescription description;
    try {
      description =
          cluster
              .await(
                  cluster
                      .admin()
                      .describeTopics(
                          List.of(name),
                          new DescribeTopicsOptions().includeAuthorizedOperations(true))
                      .allTopicNames())
              .get(name);
    } catch (UnknownTopicOrPartitionException e) {
      return;
    } catch (TopicAuthorizationException e) { // may not even describe it: named here
      throw new TopicAuthorizationException(e.getMessage(), Set.of(name));
    }
    Set<AclOperation> allowed = description.authorizedOperations();
    // null: the broker does not say (no authorizer); ALL covers every operation.
    if (allowed != null
        && !allowed.contains(AclOperation.ALL)
        && !allowed.containsAll(operations)) {
      throw new TopicAuthorizationException(
          "Not authorized to " + operations + " topic " + name, Set.of(name));
    }
  }

  /**
   * Creates a topic; empty partitions or replication factor take the broker's defaults.
   *
   * @throws TopicExistsException when it exists
   */
  public void create(
      String name,
      Optional<Integer> partitions,
      Optional<Short> replicationFactor,
      Map<String, String> configs) {
    cluster.await(
        cluster
            .admin()
            .createTopics(
                List.of(new NewTopic(name, partitions, replicationFactor).configs(configs)))
            .all());
  }

  /**
   * Makes sure a topic exists before a command writes to it: a missing one is created the way the
   * broker would on the first write (its default partitions and replication factor), but only if
   * the broker creates topics automatically, and only once every partition has a leader does this
   * return.
   *
   * <p>Why not leave it to the first write: a producer that writes into a partition while the
   * broker is still creating it can lose a batch despite idempotence (KAFKA-15591, fixed after
   * Kafka 4.4).
   */
  public Ensured ensure(String name) {
    if (exists(name)) {
      return Ensured.EXISTED;
    }
    if (!Boolean.parseBoolean(cluster.brokerConfig("auto.create.topics.enable").orElse("false"))) {
      return Ensured.MISSING;
    }
    try {
      create(name, Optional.empty(), Optional.empty(), Map.of());
    } catch (TopicExistsException e) {
      // someone else created it in the meantime: just as good
    }
    awaitLeaders(name);
    return Ensured.CREATED;
  }

  /**
   * @throws UnknownTopicOrPartitionException when it does not exist
   */
  public void delete(String name) {
    cluster.await(cluster.admin().deleteTopics(List.of(name)).all());
  }

  /**
   * @throws UnknownTopicOrPartitionException when it does not exist
   */
  public Details describe(String name) {
    TopicDescription description =
        cluster.await(cluster.admin().describeTopics(List.of(name)).allTopicNames()).get(name);
    List<TopicPartition> partitions = partitions(description);
    Map<TopicPartition, Long> earliest = cluster.offsets(partitions, OffsetSpec.earliest());
    Map<TopicPartition, Long> latest = cluster.offsets(partitions, OffsetSpec.latest());
    List<PartitionDetails> details = new ArrayList<>();
    for (TopicPartitionInfo p : description.partitions()) {
      TopicPartition tp = new TopicPartition(name, p.partition());
      details.add(
          new PartitionDetails(
              p.partition(),
              hasLeader(p) ? p.leader().id() : null,
              p.replicas().stream().map(Node::id).toList(),
              p.isr().stream().map(Node::id).toList(),
              p.isr().size() < p.replicas().size(),
              earliest.get(tp),
              latest.get(tp)));
    }
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, name);
    Config config =
        cluster.await(cluster.admin().describeConfigs(List.of(resource)).all()).get(resource);
    Map<String, String> own = new TreeMap<>();
    for (ConfigEntry entry : config.entries()) {
      if (entry.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG) {
        own.put(entry.name(), entry.isSensitive() ? "[hidden]" : entry.value());
      }
    }
    return new Details(name, description.topicId().toString(), details, own);
  }

  /** A setting of the topic as it is in force: its own, else the broker's default. */
  public Optional<String> config(String topic, String name) {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    ConfigEntry entry =
        cluster
            .await(cluster.admin().describeConfigs(List.of(resource)).all())
            .get(resource)
            .get(name);
    return Optional.ofNullable(entry).map(ConfigEntry::value);
  }

  /**
   * Changes some of a topic's settings and leaves the others (Kafka's incrementalAlterConfigs):
   * sets {@code set}, and returns each of {@code delete} to the broker's default. The whole change
   * is first validated by the broker, so that an invalid value leaves every setting as it was.
   *
   * @throws UnknownTopicOrPartitionException when the topic does not exist
   * @throws org.apache.kafka.common.errors.InvalidConfigurationException with the broker's reason
   *     for an invalid name or value
   */
  public void alterConfigs(String name, Map<String, String> set, List<String> delete) {
    List<AlterConfigOp> ops = new ArrayList<>();
    set.forEach(
        (k, v) -> ops.add(new AlterConfigOp(new ConfigEntry(k, v), AlterConfigOp.OpType.SET)));
    delete.forEach(
        k -> ops.add(new AlterConfigOp(new ConfigEntry(k, null), AlterConfigOp.OpType.DELETE)));
    Map<ConfigResource, Collection<AlterConfigOp>> change =
        Map.of(new ConfigResource(ConfigResource.Type.TOPIC, name), ops);
    cluster.await(
        cluster
            .admin()
            .incrementalAlterConfigs(change, new AlterConfigsOptions().validateOnly(true))
            .all());
    cluster.await(cluster.admin().incrementalAlterConfigs(change).all());
  }

  /**
   * Grows a topic to {@code count} partitions. Kafka cannot take partitions away.
   *
   * @return the number it had before
   * @throws org.apache.kafka.common.errors.InvalidPartitionsException when {@code count} is fewer
   *     than it has (nothing changed), with the reason
   * @throws UnknownTopicOrPartitionException when the topic does not exist
   */
  public int increasePartitions(String name, int count) {
    int now = partitionCount(name);
    if (count < now) {
      throw new InvalidPartitionsException(
          "Topic "
              + name
              + " has "
              + now
              + " partitions and Kafka cannot remove partitions: "
              + count
              + " is fewer");
    }
    if (count > now) {
      cluster.await(
          cluster.admin().createPartitions(Map.of(name, NewPartitions.increaseTo(count))).all());
    }
    return now;
  }

  /**
   * @throws UnknownTopicOrPartitionException when the topic does not exist
   */
  public int partitionCount(String name) {
    return cluster
        .await(cluster.admin().describeTopics(List.of(name)).allTopicNames())
        .get(name)
        .partitions()
        .size();
  }

  /** The offset after the last record of each partition. */
  public Map<TopicPartition, Long> endOffsets(String name) {
    TopicDescription description =
        cluster.await(cluster.admin().describeTopics(List.of(name)).allTopicNames()).get(name);
    return cluster.offsets(partitions(description), OffsetSpec.latest());
  }

  /**
   * The topic's partitions with fewer replicas in sync than its {@code min.insync.replicas},
   * partition to in-sync replica ids: the brokers refuse their acks=all writes with
   * NotEnoughReplicas. Empty when every partition has enough, or the topic is not there.
   */
  public Map<Integer, List<Integer>> underMinInsync(String name) {
    Optional<TopicDescription> description = find(name);
    if (description.isEmpty()) {
      return Map.of();
    }
    int minInsync = Integer.parseInt(config(name, "min.insync.replicas").orElse("1"));
    Map<Integer, List<Integer>> under = new java.util.TreeMap<>();
    for (TopicPartitionInfo partition : description.get().partitions()) {
      if (partition.isr().size() < minInsync) {
        under.put(partition.partition(), partition.isr().stream().map(n -> n.id()).toList());
      }
    }
    return under;
  }

  /** Partitions of the topic that have no leader, so that nobody can read or write them. */
  public static long leaderless(TopicDescription description) {
    return description.partitions().stream().filter(p -> !hasLeader(p)).count();
  }

  static List<TopicPartition> partitions(TopicDescription description) {
    return description.partitions().stream()
        .map(p -> new TopicPartition(description.name(), p.partition()))
        .toList();
  }

  private static boolean hasLeader(TopicPartitionInfo partition) {
    return partition.leader() != null && !partition.leader().isEmpty();
  }

  /** Returns once every partition of the topic has a leader, within the cluster's timeout. */
  public void awaitLeaders(String name) {
    long deadline = System.nanoTime() + cluster.timeout().toNanos();
    while (true) {
      Optional<TopicDescription> description = find(name); // empty until the metadata arrives
      if (description.isPresent() && leaderless(description.get()) == 0) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException(
            "Topic "
                + name
                + " has no leader for every partition after "
                + Durations.format(cluster.timeout()));
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptException(e);
      }
    }
  }
}
