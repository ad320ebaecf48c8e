package dev.kafkademo.kafka.consume;

import dev.kafkademo.events.EventDecoder;
import dev.kafkademo.events.EventType;
import dev.kafkademo.events.InvalidEventException;
import dev.kafkademo.events.UserEvent;
import dev.kafkademo.kafka.InvalidRecordPolicy;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * The consume-process-commit loop. Processing a record means parsing and validating it and counting
 * it by type; a record that is not a valid event is reported and skipped. Offsets are committed by
 * the loop, never by auto-commit, and only up to the last record handled: asynchronously after a
 * poll, at most every half second, and synchronously when partitions are revoked and when the loop
 * ends.
 *
 * <p>Nothing is committed that was not shown: the handler's output is flushed ({@link
 * RecordHandler#beforeCommit()}) before the offsets of what it showed are committed. When the
 * output is closed (the reader went away), the loop stops at once and commits only what was shown
 * before.
 *
 * <p>{@link #wakeup()} (from a shutdown hook) ends the loop at its next poll, with a final commit.
 */
public final class EventConsumerLoop {
  private static final Duration MAX_POLL_WAIT = Duration.ofMillis(500);
  private static final Duration COMMIT_INTERVAL = Duration.ofMillis(500);

  /**
   * @param maxMessages stop after this many valid events (0: no limit)
   * @param idleTimeout stop after this long with no new record (null: never)
   * @param commitTimeout how long a synchronous commit may wait for the broker (--timeout)
   */
  public record Limits(long maxMessages, Duration idleTimeout, Duration commitTimeout) {}

  /**
   * What to do with records that are not valid events; {@code deadLetters} is needed for {@link
   * InvalidRecordPolicy#DLQ} only.
   */
  public record OnInvalid(InvalidRecordPolicy policy, DeadLetterQueue deadLetters) {
    public OnInvalid {
      if (policy == InvalidRecordPolicy.DLQ && deadLetters == null) {
        throw new IllegalArgumentException("the DLQ policy needs a dead-letter queue");
      }
    }
  }

  /**
   * What to read: the topic, and where and how much of it.
   *
   * @param partitions read only these, assigned directly instead of through the group's rebalances
   *     (the group still gets the commits); empty: every partition, as a member of the group
   * @param start where each partition starts; null: where the group left off (else
   *     auto.offset.reset)
   * @param filter which records are shown; null: all
   */
  public record Source(
      String topic, List<Integer> partitions, StartingPoint start, RecordFilter filter) {
    public Source {
      partitions = List.copyOf(partitions);
    }

    /** The whole topic, as a group member, from where the group left off, every record shown. */
    public static Source topic(String topic) {
      return new Source(topic, List.of(), null, null);
    }
  }

  private final Consumer<byte[], byte[]> consumer;
  private final String topic;
  private final Source source;

  /** Partitions already moved to the starting point in this run: a rebalance does not move them. */
  private final Set<TopicPartition> started = new HashSet<>();

  private final RecordHandler handler;
  private final Limits limits;
  private final OnInvalid onInvalid;

  /** Per owned partition, the position after the last handled record (shown or not yet). */
  private final Map<TopicPartition, OffsetAndMetadata> handled = new HashMap<>();

  /** Per owned partition, the position after the last record whose output was flushed: safe. */
  private final Map<TopicPartition, OffsetAndMetadata> shown = new HashMap<>();

  /** Set when the handler's output was closed: nothing handled after that counts as shown. */
  private boolean outputClosed;

  private boolean uncommitted;
  private long lastCommitNanos = System.nanoTime();

  /** When the idle clock started: at the start, the last record, or the last assignment. */
  private long idleSinceNanos;

  private final Map<TopicPartition, Long> committed = new HashMap<>();
  private final long[] perType = new long[EventType.values().length];
  private long processed;
  private long filtered;
  private long skipped;
  private long deadLettered;

  /**
   * From the record's timestamp (set when it was produced) to its processing: end-to-end latency.
   */
  private final Histogram ageMillis = new Histogram(TimeUnit.DAYS.toMillis(365), 3);

  /** Set when a record stopped the loop under {@link InvalidRecordPolicy#FAIL}. */
  private String stoppedAt;

  /** Why the final commit failed, or null. */
  private String commitFailure;

  private volatile boolean running;

  private final EventDecoder decoder;

  public EventConsumerLoop(
      Consumer<byte[], byte[]> consumer,
      String topic,
      RecordHandler handler,
      Limits limits,
      OnInvalid onInvalid,
      EventDecoder decoder) {
    this(consumer, Source.topic(topic), handler, limits, onInvalid, decoder);
  }

  public EventConsumerLoop(
      Consumer<byte[], byte[]> consumer,
      Source source,
      RecordHandler handler,
      Limits limits,
      OnInvalid onInvalid,
      EventDecoder decoder) {
    this.consumer = consumer;
    this.decoder = decoder;
    this.source = source;
    this.topic = source.topic();
    this.handler = handler;
    this.limits = limits;
    this.onInvalid = onInvalid;
  }

  public ConsumeResult run() {
    long start = System.nanoTime();
    running = true;
    try {
      if (source.partitions().isEmpty()) {
        consumer.subscribe(List.of(topic), new CommitOnRevoke());
      } else {
        List<TopicPartition> assigned =
            source.partitions().stream().map(p -> new TopicPartition(topic, p)).toList();
        consumer.assign(assigned);
        moveToStart(assigned);
        handler.assigned(assigned);
      }
      idleSinceNanos = System.nanoTime();
      while (!limitReached() && stoppedAt == null && !outputClosed) {
        Duration wait = pollWait();
        if (wait.isZero()) {
          break; // idle timeout
        }
        ConsumerRecords<byte[], byte[]> records = consumer.poll(wait);
        handler.afterPoll(consumer);
        if (!records.isEmpty()) {
          idleSinceNanos = System.nanoTime();
        }
        rememberWhereReadingStarted(records);
        for (TopicPartition partition : records.partitions()) {
          if (!handle(partition, records.records(partition))) {
            break; // the rest stays uncommitted, for the next run of this group
          }
        }
        commitAsync(); // also after an empty poll: what was processed is committed while idle
      }
    } catch (WakeupException e) {
      // wakeup(): a stop was requested; fall through to the final commit
    } catch (OutputClosedException e) {
      outputClosed = true; // fall through to the final commit of what was shown
    } finally {
      running = false;
      commitSync();
    }
    return new ConsumeResult(
        processed,
        filtered,
        skipped,
        deadLettered,
        stoppedAt,
        outputClosed,
        countsByType(),
        sortedByPartition(committed),
        commitFailure,
        Duration.ofNanos(System.nanoTime() - start),
        ageMillis.copy());
  }

  /**
   * Seeks the partitions not yet started in this run to the starting point, if there is one; the
   * others keep their position (a rebalance handing one back does not read it again).
   */
  private void moveToStart(Collection<TopicPartition> partitions) {
    if (source.start() == null) {
      return;
    }
    List<TopicPartition> fresh = partitions.stream().filter(started::add).toList();
    if (!fresh.isEmpty()) {
      source.start().offsets(consumer, fresh).forEach(consumer::seek);
    }
  }

  /** Safe from any thread: makes a blocked poll return so the loop can commit and end. */
  public void wakeup() {
    if (running) {
      consumer.wakeup();
    }
  }

  /**
   * Handles one partition's records of a poll in order and remembers the position after the last
   * one handled (once per poll, not per record). False when a limit or an invalid record under
   * {@link InvalidRecordPolicy#FAIL} stops the loop.
   */
  private boolean handle(TopicPartition partition, List<ConsumerRecord<byte[], byte[]>> records) {
    long next = -1;
    try {
      for (ConsumerRecord<byte[], byte[]> record : records) {
        if (limitReached()) {
          return false;
        }
        if (!handle(record)) {
          // Committing the record's own offset makes the group resume exactly there, even when it
          // is the group's first record (with nothing committed, a rerun would start at the end).
          next = record.offset();
          return false;
        }
        next = record.offset() + 1;
      }
      return true;
    } finally {
      // Also when the DLQ throws: what was handled before that record is kept for the commit.
      if (next >= 0) {
        handled.put(partition, new OffsetAndMetadata(next));
        uncommitted = true;
      }
    }
  }

  /**
   * Where this member started reading a partition counts as shown: nothing before it is owed to
   * anyone. Committed even when no record of the partition gets shown (the output closed, a limit
   * was reached), the group resumes exactly there, instead of wherever auto.offset.reset sends a
   * group without offsets.
   */
  private void rememberWhereReadingStarted(ConsumerRecords<byte[], byte[]> records) {
    for (TopicPartition partition : records.partitions()) {
      if (!handled.containsKey(partition) && !shown.containsKey(partition)) {
        shown.put(partition, new OffsetAndMetadata(records.records(partition).get(0).offset()));
      }
    }
  }

  /** False when the record stops the loop and is therefore not handled. */
  private boolean handle(ConsumerRecord<byte[], byte[]> record) {
    // Counted once handed on: a record the closed output refused was not processed.
    if (decoder == null) { // raw: any record, shown as it is
      if (source.filter() != null && !source.filter().shows(record, null)) {
        filtered++;
        return true;
      }
      handler.processed(record, null);
      recordAge(ageMillis, record);
      processed++;
      return true;
    }
    try {
      UserEvent event = decoder.decode(record.value());
      if (source.filter() != null && !source.filter().shows(record, event)) {
        filtered++;
        return true;
      }
      handler.processed(record, event);
      perType[event.eventType().ordinal()]++;
      recordAge(ageMillis, record);
      processed++;
    } catch (InvalidEventException e) {
      String reason = e.getMessage();
      switch (onInvalid.policy()) {
        case SKIP -> skipped++;
        case DLQ -> {
          onInvalid.deadLetters().forward(record, reason); // throws: not handled, not committed
          deadLettered++;
        }
        case FAIL -> {
          stoppedAt = position(record) + ": " + reason;
          handler.invalid(record, reason, InvalidRecordPolicy.FAIL);
          return false; // not handled: the group resumes at this record
        }
      }
      handler.invalid(record, reason, onInvalid.policy());
    }
    return true;
  }

  /**
   * Records the record's age in milliseconds: from its timestamp (set when it was produced) to now.
   */
  public static void recordAge(Histogram ageMillis, ConsumerRecord<?, ?> record) {
    long age = System.currentTimeMillis() - record.timestamp();
    ageMillis.recordValue(Math.max(0, Math.min(ageMillis.getHighestTrackableValue(), age)));
  }

  /** The types seen, with their counts. */
  private Map<EventType, Long> countsByType() {
    Map<EventType, Long> counts = new EnumMap<>(EventType.class);
    for (EventType type : EventType.values()) {
      if (perType[type.ordinal()] > 0) {
        counts.put(type, perType[type.ordinal()]);
      }
    }
    return Collections.unmodifiableMap(counts);
  }

  private static String position(ConsumerRecord<?, ?> record) {
    return record.topic() + "-" + record.partition() + "@" + record.offset();
  }

  private boolean limitReached() {
    return limits.maxMessages() > 0 && processed >= limits.maxMessages();
  }

  private Duration pollWait() {
    if (limits.idleTimeout() == null) {
      return MAX_POLL_WAIT;
    }
    long remaining = limits.idleTimeout().toNanos() - (System.nanoTime() - idleSinceNanos);
    if (remaining <= 0) {
      return Duration.ZERO;
    }
    return Duration.ofNanos(Math.min(remaining, MAX_POLL_WAIT.toNanos()));
  }

  /**
   * At most every {@link #COMMIT_INTERVAL}: a commit per poll was a third of the run time at full
   * speed. What is processed but not yet committed is committed on revocation and at the end.
   */
  private void commitAsync() {
    long now = System.nanoTime();
    if (!uncommitted || now - lastCommitNanos < COMMIT_INTERVAL.toNanos()) {
      return;
    }
    lastCommitNanos = now;
    if (!showHandled()) {
      return; // the output is closed: the loop ends and commits what was shown
    }
    consumer.commitAsync(Map.copyOf(shown), this::recordCommitted);
    uncommitted = false;
  }

  /**
   * Flushes the handler's output; once that worked, every handled position counts as shown. False
   * when the output is closed.
   */
  private boolean showHandled() {
    if (outputClosed) {
      return false;
    }
    try {
      handler.beforeCommit();
    } catch (OutputClosedException e) {
      outputClosed = true;
      return false;
    }
    shown.putAll(handled);
    return true;
  }

  private void commitSync() {
    showHandled();
    shown.keySet().retainAll(consumer.assignment());
    if (shown.isEmpty()) {
      return;
    }
    Map<TopicPartition, OffsetAndMetadata> offsets = Map.copyOf(shown);
    try {
      try {
        consumer.commitSync(offsets, limits.commitTimeout());
      } catch (WakeupException e) {
        // the wakeup was meant for poll; the offsets must still be saved
        consumer.commitSync(offsets, limits.commitTimeout());
      }
      recordCommitted(offsets, null);
    } catch (KafkaException e) {
      // Bounded, and said on its own: what was processed is the run's result all the same.
      commitFailure = e.getMessage();
    }
    handled.clear();
    shown.clear();
  }

  private void recordCommitted(Map<TopicPartition, OffsetAndMetadata> offsets, Exception error) {
    // A failed async commit is covered by the next commit and by the final synchronous one.
    if (error == null) {
      offsets.forEach((tp, offset) -> committed.merge(tp, offset.offset(), Math::max));
    }
  }

  private static Map<TopicPartition, Long> sortedByPartition(Map<TopicPartition, Long> offsets) {
    Map<TopicPartition, Long> sorted =
        new TreeMap<>(
            Comparator.comparing(TopicPartition::topic)
                .thenComparingInt(TopicPartition::partition));
    sorted.putAll(offsets);
    return sorted;
  }

  /**
   * Commits what was handled for partitions that are taken away, before another member gets them.
   */
  private final class CommitOnRevoke implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      showHandled();
      Map<TopicPartition, OffsetAndMetadata> revoked = new HashMap<>();
      for (TopicPartition tp : partitions) {
        handled.remove(tp);
        OffsetAndMetadata offset = shown.remove(tp);
        if (offset != null) {
          revoked.put(tp, offset);
        }
      }
      if (!revoked.isEmpty()) {
        consumer.commitSync(revoked, limits.commitTimeout());
        recordCommitted(revoked, null);
      }
      if (running) {
        handler.revoked(partitions); // not while closing: then every partition goes, as expected
      }
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      if (!partitions.isEmpty()) {
        moveToStart(partitions);
        idleSinceNanos = System.nanoTime(); // joining the group is not idling
        handler.assigned(partitions);
      }
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      // Another member may own them already: committing would overwrite its progress.
      handled.keySet().removeAll(partitions);
      shown.keySet().removeAll(partitions);
      handler.revoked(partitions);
    }
  }
}
