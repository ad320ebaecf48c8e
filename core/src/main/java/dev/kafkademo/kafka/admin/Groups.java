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
      SHIFT_BY,
      /** The first record at or after the time {@code value} (epoch ms); none: the log end. */
      TO_DATETIME
    }

    /**
     * The wanted offset, before it is kept within the log.
     *
     * @param atTime for {@link Kind#TO_DATETIME}: the offset Kafka found for the time, -1 for none
     */
    long wanted(Long current, long logStart, long logEnd, long atTime) {
      return switch (kind) {
        case EARLIEST -> logStart;
        case LATEST -> logEnd;
        case TO_OFFSET -> value;
        case SHIFT_BY -> (current != null ? current : logStart) + value;
        case TO_DATETIME -> atTime < 0 ? logEnd : atTime;
      };
    }
  }

  /** A committed offset as {@code groups export} writes it and {@code --from-file} reads it. */
  public record Position(String topic, int partition, long offset) {}

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
    Map<TopicPartition, Long> atTime =
        target.kind() == ResetTarget.Kind.TO_DATETIME
            ? cluster.offsets(partitions, OffsetSpec.forTimestamp(target.value()))
            : Map.of();
    List<OffsetChange> changes = new ArrayList<>();
    Map<TopicPartition, OffsetAndMetadata> apply = new LinkedHashMap<>();
    for (TopicPartition tp : partitions) {
      Long current = committed.containsKey(tp) ? committed.get(tp).offset() : null;
      long wanted =
          target.wanted(current, start.get(tp), end.get(tp), atTime.getOrDefault(tp, -1L));
      long clamped = Math.max(start.get(tp), Math.min(end.get(tp), wanted));
      changes.add(new OffsetChange(topic, tp.partition(), current, clamped));
      apply.put(tp, new OffsetAndMetadata(clamped));
    }
    if (execute) {
      apply(groupId, group, apply);
    }
    return changes;
  }

  /**
   * The group's committed offsets, sorted by topic and partition: what {@link #setOffsets} takes
   * back.
   *
   * @throws GroupIdNotFoundException when no such group exists
   */
  public List<Position> export(String groupId) {
    existing(groupId);
    return committed(groupId).entrySet().stream()
        .map(e -> new Position(e.getKey().topic(), e.getKey().partition(), e.getValue().offset()))
        .sorted(Comparator.comparing(Position::topic).thenComparingInt(Position::partition))
        .toList();
  }

  /**
   * Plans, and with {@code execute} applies, exactly these committed offsets (an export read back).
   * Every one is checked first: a topic or partition that does not exist, an offset outside its
   * partition's log or a partition named twice is an {@link InvalidOffsetsException}, and nothing
   * is applied. A group that does not exist yet is created with these offsets.
   */
  public List<OffsetChange> setOffsets(String groupId, List<Position> positions, boolean execute) {
    ConsumerGroupDescription group;
    try {
      group =
          cluster
              .await(cluster.admin().describeConsumerGroups(List.of(groupId)).all())
              .get(groupId);
    } catch (GroupIdNotFoundException e) {
      group = null; // a new group: it gets these offsets, as a restore onto another cluster does
    }
    Set<String> topics = new TreeSet<>();
    positions.forEach(p -> topics.add(p.topic()));
    Map<String, Integer> partitionCounts = new HashMap<>();
    for (String topic : topics) {
      cluster
          .topics()
          .find(topic)
          .ifPresent(d -> partitionCounts.put(topic, d.partitions().size()));
    }
    List<String> problems = new ArrayList<>();
    Map<TopicPartition, Long> wanted = new LinkedHashMap<>();
    for (Position p : positions) {
      TopicPartition tp = new TopicPartition(p.topic(), p.partition());
      Integer count = partitionCounts.get(p.topic());
      if (count == null) {
        problems.add("topic " + p.topic() + " does not exist");
      } else if (p.partition() < 0 || p.partition() >= count) {
        problems.add(tp + " does not exist (" + p.topic() + " has " + count + " partitions)");
      } else if (wanted.put(tp, p.offset()) != null) {
        problems.add(tp + " is named twice");
      }
    }
    Map<TopicPartition, Long> start = Map.of();
    Map<TopicPartition, Long> end = Map.of();
    if (problems.isEmpty()) {
      start = cluster.offsets(wanted.keySet(), OffsetSpec.earliest());
      end = cluster.offsets(wanted.keySet(), OffsetSpec.latest());
      for (var e : wanted.entrySet()) {
        long first = start.get(e.getKey());
        long last = end.get(e.getKey());
        if (e.getValue() < first || e.getValue() > last) {
          problems.add(
              "offset "
                  + e.getValue()
                  + " is outside "
                  + e.getKey()
                  + "'s log ("
                  + first
                  + " to "
                  + last
                  + ")");
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidOffsetsException(
          problems.get(0)
              + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more)" : ""));
    }
    Map<TopicPartition, OffsetAndMetadata> committed = committed(groupId);
    List<OffsetChange> changes = new ArrayList<>();
    Map<TopicPartition, OffsetAndMetadata> apply = new LinkedHashMap<>();
    wanted.forEach(
        (tp, offset) -> {
          OffsetAndMetadata current = committed.get(tp);
          changes.add(
              new OffsetChange(
                  tp.topic(), tp.partition(), current == null ? null : current.offset(), offset));
          apply.put(tp, new OffsetAndMetadata(offset));
        });
    changes.sort(
        Comparator.comparing(OffsetChange::topic).thenComparingInt(OffsetChange::partition));
    if (execute) {
      apply(groupId, group, apply);
    }
    return changes;
  }

  /**
   * Commits new offsets for the group: refused while it has members, who would overwrite them.
   *
   * @param group null for a group that does not exist yet
   */
  private void apply(
      String groupId,
      ConsumerGroupDescription group,
      Map<TopicPartition, OffsetAndMetadata> offsets) {
    if (group != null && !group.members().isEmpty()) {
      throw new GroupActiveException(groupId, group.members().size());
    }
    cluster.await(cluster.admin().alterConsumerGroupOffsets(groupId, offsets).all());
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

  /** Offsets to set that do not fit the cluster: nothing was applied. */
  public static final class InvalidOffsetsException extends KafkaException {
    public InvalidOffsetsException(String message) {
      super(message);
    }
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
