package dev.kafkademo.kafka.admin;

import dev.kafkademo.kafka.BrokerUnreachableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Topics and consumer groups through the Kafka Admin client, as {@code kafka-topics} and {@code
 * kafka-consumer-groups} show them. Returns plain records for the CLI to render.
 */
public final class ClusterAdmin implements AutoCloseable {
  private final Admin admin;
  private final Duration timeout;

  private ClusterAdmin(Admin admin, Duration timeout) {
    this.admin = admin;
    this.timeout = timeout;
  }

  /**
   * Connects and checks that the cluster answers within {@code timeout}.
   *
   * @throws BrokerUnreachableException when it does not
   */
  public static ClusterAdmin connect(Properties clientProperties, Duration timeout) {
    return new ClusterAdmin(AdminRequests.connect(clientProperties, timeout).admin(), timeout);
  }

  /** One line of a topic list. */
  public record TopicSummary(
      String name, int partitions, int replicationFactor, boolean internal) {}

  /** One partition as describe shows it. */
  public record PartitionDetails(
      int partition,
      Integer leader,
      List<Integer> replicas,
      List<Integer> isr,
      boolean underReplicated,
      long earliestOffset,
      long latestOffset) {}

  public record TopicDetails(
      String name,
      String topicId,
      List<PartitionDetails> partitions,
      Map<String, String> configs) {}

  public record GroupSummary(String groupId, String state, String type) {}

  public record Member(
      String memberId, String instanceId, String clientId, String host, List<String> partitions) {}

  /**
   * committed is null when the group has none for the partition; lag then counts from the log
   * start.
   */
  public record PartitionLag(
      String topic,
      int partition,
      Long committed,
      long logStart,
      long logEnd,
      long lag,
      String owner) {}

  public record GroupDetails(
      String groupId,
      String state,
      List<Member> members,
      List<PartitionLag> partitions,
      long totalLag) {}

  /** A planned or applied offset change. */
  public record OffsetChange(String topic, int partition, Long current, long target) {}

  public List<TopicSummary> listTopics() {
    Set<String> names = get(admin.listTopics(new ListTopicsOptions().listInternal(true)).names());
    Map<String, TopicDescription> descriptions = get(admin.describeTopics(names).allTopicNames());
    return descriptions.values().stream()
        .map(
            d ->
                new TopicSummary(
                    d.name(),
                    d.partitions().size(),
                    d.partitions().get(0).replicas().size(),
                    d.isInternal()))
        .sorted(Comparator.comparing(TopicSummary::name))
        .toList();
  }

  public void createTopic(
      String name,
      Optional<Integer> partitions,
      Optional<Short> replicationFactor,
      Map<String, String> configs) {
    get(
        admin
            .createTopics(
                List.of(new NewTopic(name, partitions, replicationFactor).configs(configs)))
            .all());
  }

  public void deleteTopic(String name) {
    get(admin.deleteTopics(List.of(name)).all());
  }

  public TopicDetails describeTopic(String name) {
    TopicDescription description =
        get(admin.describeTopics(List.of(name)).allTopicNames()).get(name);
    List<TopicPartition> partitions =
        description.partitions().stream()
            .map(p -> new TopicPartition(name, p.partition()))
            .toList();
    Map<TopicPartition, Long> earliest = offsets(partitions, OffsetSpec.earliest());
    Map<TopicPartition, Long> latest = offsets(partitions, OffsetSpec.latest());
    List<PartitionDetails> details = new ArrayList<>();
    for (TopicPartitionInfo p : description.partitions()) {
      TopicPartition tp = new TopicPartition(name, p.partition());
      details.add(
          new PartitionDetails(
              p.partition(),
              p.leader() == null || p.leader().isEmpty() ? null : p.leader().id(),
              p.replicas().stream().map(Node::id).toList(),
              p.isr().stream().map(Node::id).toList(),
              p.isr().size() < p.replicas().size(),
              earliest.get(tp),
              latest.get(tp)));
    }
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, name);
    Config config = get(admin.describeConfigs(List.of(resource)).all()).get(resource);
    Map<String, String> nonDefault = new TreeMap<>();
    for (ConfigEntry entry : config.entries()) {
      if (entry.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG) {
        nonDefault.put(entry.name(), entry.isSensitive() ? "[hidden]" : entry.value());
      }
    }
    return new TopicDetails(name, description.topicId().toString(), details, nonDefault);
  }

  public List<GroupSummary> listGroups() {
    Collection<GroupListing> groups = get(admin.listGroups().all());
    return groups.stream()
        .map(
            g ->
                new GroupSummary(
                    g.groupId(),
                    g.groupState().map(s -> s.toString()).orElse("Unknown"),
                    g.type().map(t -> t.toString()).orElse("")))
        .sorted(Comparator.comparing(GroupSummary::groupId))
        .toList();
  }

  /**
   * State, members, and per partition the committed offset, the log end and the lag, for every
   * partition of every topic the group has committed offsets for or members read.
   *
   * @throws GroupIdNotFoundException when no such group exists
   */
  public GroupDetails describeGroup(String groupId) {
    ConsumerGroupDescription description =
        get(admin.describeConsumerGroups(List.of(groupId)).all()).get(groupId);
    Map<TopicPartition, OffsetAndMetadata> committed =
        get(admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata());
    String state = description.groupState().toString();
    if (description.members().isEmpty() && committed.isEmpty() && state.equals("Dead")) {
      throw new GroupIdNotFoundException("Group " + groupId + " does not exist");
    }
    Map<TopicPartition, String> owners = new HashMap<>();
    List<Member> members = new ArrayList<>();
    for (MemberDescription m : description.members()) {
      List<String> assigned =
          m.assignment().topicPartitions().stream().map(TopicPartition::toString).sorted().toList();
      m.assignment().topicPartitions().forEach(tp -> owners.put(tp, m.clientId()));
      members.add(
          new Member(
              m.consumerId(), m.groupInstanceId().orElse(null), m.clientId(), m.host(), assigned));
    }
    Set<String> topics = new java.util.TreeSet<>();
    committed.keySet().forEach(tp -> topics.add(tp.topic()));
    owners.keySet().forEach(tp -> topics.add(tp.topic()));
    List<TopicPartition> partitions = new ArrayList<>();
    if (!topics.isEmpty()) {
      get(admin.describeTopics(topics).allTopicNames())
          .forEach(
              (topic, d) ->
                  d.partitions()
                      .forEach(p -> partitions.add(new TopicPartition(topic, p.partition()))));
    }
    partitions.sort(
        Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
    Map<TopicPartition, Long> start = offsets(partitions, OffsetSpec.earliest());
    Map<TopicPartition, Long> end = offsets(partitions, OffsetSpec.latest());
    List<PartitionLag> lags = new ArrayList<>();
    long total = 0;
    for (TopicPartition tp : partitions) {
      OffsetAndMetadata offset = committed.get(tp);
      Long committedOffset = offset == null ? null : offset.offset();
      long from = committedOffset != null ? committedOffset : start.get(tp);
      long lag = Math.max(0, end.get(tp) - from);
      total += lag;
      lags.add(
          new PartitionLag(
              tp.topic(),
              tp.partition(),
              committedOffset,
              start.get(tp),
              end.get(tp),
              lag,
              owners.get(tp)));
    }
    return new GroupDetails(groupId, state, members, lags, total);
  }

  /** How to move a group's offsets, as kafka-consumer-groups --reset-offsets takes it. */
  public record ResetTarget(Kind kind, long value) {
    public enum Kind {
      EARLIEST,
      LATEST,
      TO_OFFSET,
      SHIFT_BY
    }

    /** The wanted offset, before it is kept within the log. */
    long wanted(Long current, long logStart, long logEnd) {
      return switch (kind) {
        case EARLIEST -> logStart;
        case LATEST -> logEnd;
        case TO_OFFSET -> value;
        case SHIFT_BY -> (current != null ? current : logStart) + value;
      };
    }
  }

  /**
   * Plans, and with {@code execute} applies, new committed offsets for every partition of {@code
   * topic}, kept within each partition's log. Applying is refused while the group has members.
   */
  public List<OffsetChange> resetOffsets(
      String groupId, String topic, ResetTarget target, boolean execute) {
    TopicDescription description =
        get(admin.describeTopics(List.of(topic)).allTopicNames()).get(topic);
    List<TopicPartition> partitions =
        description.partitions().stream()
            .map(p -> new TopicPartition(topic, p.partition()))
            .toList();
    Map<TopicPartition, OffsetAndMetadata> committed =
        get(admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata());
    Map<TopicPartition, Long> start = offsets(partitions, OffsetSpec.earliest());
    Map<TopicPartition, Long> end = offsets(partitions, OffsetSpec.latest());
    List<OffsetChange> changes = new ArrayList<>();
    Map<TopicPartition, OffsetAndMetadata> apply = new LinkedHashMap<>();
    for (TopicPartition tp : partitions) {
      Long current = committed.containsKey(tp) ? committed.get(tp).offset() : null;
      long wanted = target.wanted(current, start.get(tp), end.get(tp));
      long clamped = Math.max(start.get(tp), Math.min(end.get(tp), wanted));
      changes.add(new OffsetChange(topic, tp.partition(), current, clamped));
      apply.put(tp, new OffsetAndMetadata(clamped));
    }
    if (execute) {
      ConsumerGroupDescription group =
          get(admin.describeConsumerGroups(List.of(groupId)).all()).get(groupId);
      if (!group.members().isEmpty()) {
        throw new GroupActiveException(groupId, group.members().size());
      }
      get(admin.alterConsumerGroupOffsets(groupId, apply).all());
    }
    return changes;
  }

  /** A broker's configuration value, or empty. */
  public Optional<String> brokerConfig(int brokerId, String name) {
    ConfigResource resource =
        new ConfigResource(ConfigResource.Type.BROKER, String.valueOf(brokerId));
    ConfigEntry entry = get(admin.describeConfigs(List.of(resource)).all()).get(resource).get(name);
    return Optional.ofNullable(entry).map(ConfigEntry::value);
  }

  public Optional<TopicDescription> findTopic(String name) {
    try {
      return Optional.of(get(admin.describeTopics(List.of(name)).allTopicNames()).get(name));
    } catch (UnknownTopicOrPartitionException e) {
      return Optional.empty();
    }
  }

  @Override
  public void close() {
    admin.close(timeout);
  }

  private Map<TopicPartition, Long> offsets(List<TopicPartition> partitions, OffsetSpec spec) {
    if (partitions.isEmpty()) {
      return Map.of();
    }
    Map<TopicPartition, OffsetSpec> request =
        partitions.stream().collect(Collectors.toMap(tp -> tp, tp -> spec));
    Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> result =
        get(admin.listOffsets(request).all());
    Map<TopicPartition, Long> offsets = new HashMap<>();
    result.forEach((tp, info) -> offsets.put(tp, info.offset()));
    return offsets;
  }

  private <T> T get(KafkaFuture<T> future) {
    return AdminRequests.await(future, timeout);
  }

  /** Offsets cannot be reset while consumers in the group hold the partitions. */
  public static final class GroupActiveException extends KafkaException {
    public GroupActiveException(String groupId, int members) {
      super(
          "Group "
              + groupId
              + " has "
              + members
              + " active member(s): stop its consumers first, then reset");
    }
  }
}
