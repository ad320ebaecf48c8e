package dev.kafkademo.kafka.admin;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/** Consumer groups as {@code kafka-consumer-groups} shows them: state, members, offsets, lag. */
public final class Groups {
  private final Cluster cluster;

  Groups(Cluster cluster) {
    this.cluster = cluster;
  }

  public record Summary(String groupId, String state, String type) {}

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

  public record Details(
      String groupId,
      String state,
      List<Member> members,
      List<PartitionLag> partitions,
      long totalLag) {}

  /** A planned or applied offset change. */
  public record OffsetChange(String topic, int partition, Long current, long target) {}

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

  public List<Summary> list() {
    return cluster.await(cluster.admin().listGroups().all()).stream()
        .map(
            g ->
                new Summary(
                    g.groupId(),
                    g.groupState().map(GroupState::toString).orElse("Unknown"),
                    g.type().map(Object::toString).orElse("")))
        .sorted(Comparator.comparing(Summary::groupId))
        .toList();
  }

  /**
   * State, members, and per partition the committed offset, the log end and the lag, for every
   * partition of every topic the group has committed offsets for or members read.
   *
   * @throws GroupIdNotFoundException when no such group exists
   */
  public Details describe(String groupId) {
    ConsumerGroupDescription description = existing(groupId);
    Map<TopicPartition, OffsetAndMetadata> committed = committed(groupId);
    Map<TopicPartition, String> owners = new HashMap<>();
    List<Member> members = new ArrayList<>();
    for (MemberDescription m : description.members()) {
      Set<TopicPartition> assigned = m.assignment().topicPartitions();
      assigned.forEach(tp -> owners.put(tp, m.clientId()));
      members.add(
          new Member(
              m.consumerId(),
              m.groupInstanceId().orElse(null),
              m.clientId(),
              m.host(),
              assigned.stream().map(TopicPartition::toString).sorted().toList()));
    }
    Set<String> topics = new TreeSet<>();
    committed.keySet().forEach(tp -> topics.add(tp.topic()));
    owners.keySet().forEach(tp -> topics.add(tp.topic()));
    List<TopicPartition> partitions = new ArrayList<>();
    if (!topics.isEmpty()) {
      cluster
          .await(cluster.admin().describeTopics(topics).allTopicNames())
          .values()
          .forEach(d -> partitions.addAll(Topics.partitions(d)));
    }
    partitions.sort(
        Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
    Map<TopicPartition, Long> start = cluster.offsets(partitions, OffsetSpec.earliest());
    Map<TopicPartition, Long> end = cluster.offsets(partitions, OffsetSpec.latest());
    List<PartitionLag> lags = new ArrayList<>();
    long total = 0;
    for (TopicPartition tp : partitions) {
      OffsetAndMetadata offset = committed.get(tp);
      Long committedOffset = offset == null ? null : offset.offset();
      long lag =
          Math.max(0, end.get(tp) - (committedOffset != null ? committedOffset : start.get(tp)));
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
    return new Details(groupId, description.groupState().toString(), members, lags, total);
  }

  /**
   * Plans, and with {@code execute} applies, new committed offsets for every partition of {@code
   * topic}, kept within each partition's log. Applying is refused while the group has members.
   *
   * @throws GroupIdNotFoundException when no such group exists
   * @throws org.apache.kafka.common.errors.UnknownTopicOrPartitionException when the topic does not
   */
  public List<OffsetChange> resetOffsets(
      String groupId, String topic, ResetTarget target, boolean execute) {
    ConsumerGroupDescription group = existing(groupId);
    TopicDescription description =
        cluster.await(cluster.admin().describeTopics(List.of(topic)).allTopicNames()).get(topic);
    List<TopicPartition> partitions = Topics.partitions(description);
    Map<TopicPartition, OffsetAndMetadata> committed = committed(groupId);
    Map<TopicPartition, Long> start = cluster.offsets(partitions, OffsetSpec.earliest());
    Map<TopicPartition, Long> end = cluster.offsets(partitions, OffsetSpec.latest());
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
      if (!group.members().isEmpty()) {
        throw new GroupActiveException(groupId, group.members().size());
      }
      cluster.await(cluster.admin().alterConsumerGroupOffsets(groupId, apply).all());
    }
    return changes;
  }

  /** The group's committed offset per partition; none for a group that never committed. */
  public Map<TopicPartition, Long> committedOffsets(String groupId) {
    Map<TopicPartition, Long> offsets = new HashMap<>();
    committed(groupId).forEach((tp, offset) -> offsets.put(tp, offset.offset()));
    return offsets;
  }

  /** The group's description; a group the coordinator does not know at all is not found. */
  private ConsumerGroupDescription existing(String groupId) {
    ConsumerGroupDescription description =
        cluster.await(cluster.admin().describeConsumerGroups(List.of(groupId)).all()).get(groupId);
    if (description.groupState() == GroupState.DEAD
        && description.members().isEmpty()
        && committed(groupId).isEmpty()) {
      throw new GroupIdNotFoundException("Group " + groupId + " does not exist");
    }
    return description;
  }

  private Map<TopicPartition, OffsetAndMetadata> committed(String groupId) {
    return cluster.await(
        cluster.admin().listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata());
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
