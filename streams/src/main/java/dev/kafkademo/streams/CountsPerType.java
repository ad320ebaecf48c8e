package dev.kafkademo.streams;

import dev.kafkademo.events.UserEvent;
import dev.kafkademo.streams.Results.WindowCount;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Part one: events per type per tumbling window, in event time, each window's counts emitted once,
 * when it has closed.
 *
 * <p>Why not {@code groupBy(type).windowedBy(...).count()}: re-keying by type sends the events
 * through a repartition topic, where the input partitions' records meet in the order their tasks
 * happened to process them. Reading a backlog, one task may write hours of event time before
 * another writes its first record, so the windowed count would see most events as hours late and
 * drop them. Here each input task counts its own events per window (its events are in time order,
 * so only truly late ones are dropped) and, once its stream time passes a window's end plus the
 * grace period, sends its counts and how far it has closed; one merging task adds them up and emits
 * a window when every input partition has closed it.
 */
public final class CountsPerType {
  /** Closed windows' counts, queryable: type and window start to count. */
  public static final String STORE = "counts-per-type-store";

  /** Per input task, the counts of its open windows and how far it has closed. */
  static final String PARTIAL_STORE = "counts-per-type-partial-store";

  /** In the merging task, the counts of windows not yet closed everywhere. */
  static final String MERGE_STORE = "counts-per-type-merge-store";

  /** In the merging task, per input partition, the end up to which it has closed its windows. */
  static final String CLOSED_STORE = "counts-per-type-closed-store";

  /**
   * Names the topic that carries the tasks' counts: {@code
   * <id>-counts-per-type-partials-repartition}.
   */
  public static final String PARTIALS = "counts-per-type-partials";

  private static final String CLOSED_UP_TO = "~closed";

  /** In an input task's store: it has reported itself idle and read nothing since. */
  private static final String IDLE_REPORTED = "~idle";

  /**
   * What an input task reports as closed when it has nothing left to read and has read nothing for
   * a while (an empty or quiet partition), after it has sent the counts of the windows it still had
   * open, so that its stream time, which stopped, holds nobody's windows back.
   */
  public static final long IDLE = Long.MAX_VALUE;

  /** In the merging task's closed store: the end of the last window emitted. */
  private static final int EMITTED = -1;

  /**
   * In the merging task's closed store: the furthest any partition has closed, the application's
   * event time less the grace. An idle partition counts as closed up to here.
   */
  private static final int APPLICATION_CLOSED = -2;

  private CountsPerType() {}

  /**
   * One input task's counts of one window ({@code windowStart} -1: none, only how far it closed).
   *
   * @param closedUpTo every window of this partition that ends at or before this time is sent
   */
  public record Partial(
      int partition, long windowStart, Map<String, Long> counts, long closedUpTo) {}

  /** Counts per type of a window, as the merging task keeps them. */
  public record Counts(Map<String, Long> byType) {}

  static void addTo(
      StreamsBuilder builder,
      KStream<String, UserEvent> events,
      StreamsSettings settings,
      Results.Listener listener,
      InputLag inputLag) {
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(PARTIAL_STORE), Serdes.String(), Serdes.Long())
            .withCachingEnabled());
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(MERGE_STORE),
                Serdes.String(),
                JsonSerde.of(Counts.class))
            .withCachingEnabled());
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(CLOSED_STORE), Serdes.Integer(), Serdes.Long()));
    builder.addStateStore(
        Stores.windowStoreBuilder(
            Stores.persistentWindowStore(STORE, settings.retention(), settings.window(), false),
            Serdes.String(),
            Serdes.Long()));
    events
        .process(
            () -> new PartialCounts(settings, listener, inputLag),
            Named.as("counts-per-type-partial"),
            PARTIAL_STORE)
        .repartition(
            Repartitioned.with(Serdes.String(), JsonSerde.of(Partial.class))
                .withName(PARTIALS)
                .withNumberOfPartitions(1))
        .process(
            () -> new MergedCounts(settings, listener),
            Named.as("counts-per-type-merge"),
            MERGE_STORE,
            CLOSED_STORE,
            STORE)
        .peek((type, result) -> listener.windowClosed(result), Named.as("counts-per-type-listener"))
        .to(
            settings.countsTopic(),
            Produced.with(Serdes.String(), JsonSerde.of(WindowCount.class))
                .withName("counts-per-type-sink"));
  }

  /** Window starts as fixed-width text, so that the stores' keys sort in time order. */
  static String key(long windowStart) {
    return String.format("%020d", windowStart);
  }

  /** Counts one input task's events per window and type; sends closed windows on. */
  static final class PartialCounts implements Processor<String, UserEvent, String, Partial> {
    private final StreamsSettings settings;
    private final Results.Listener listener;
    private final InputLag inputLag;
    private ProcessorContext<String, Partial> context;
    private KeyValueStore<String, Long> store;

    PartialCounts(StreamsSettings settings, Results.Listener listener, InputLag inputLag) {
      this.settings = settings;
      this.listener = listener;
      this.inputLag = inputLag;
    }

    private long lastRecordMillis;

    /** The store's {@link #IDLE_REPORTED}, read once at init: a store read per record is slow. */
    private boolean idleReported;

    @Override
    public void init(ProcessorContext<String, Partial> context) {
      this.context = context;
      this.store = context.getStateStore(PARTIAL_STORE);
      // Streams may init this same processor again after a failed transaction (task revived), with
      // the store back where it was committed: nothing in memory may outlive that. The stream time
      // comes from the task, which restores it with its offsets.
      this.lastRecordMillis = System.currentTimeMillis();
      this.idleReported = store.get(IDLE_REPORTED) != null;
      long check = Math.max(100, Math.min(1000, settings.idleAfter().toMillis() / 2));
      context.schedule(Duration.ofMillis(check), PunctuationType.WALL_CLOCK_TIME, this::reportIdle);
    }

    /**
     * A partition with nothing left to read (its lag 0, not merely records waiting behind other
     * tasks' work) and no record for a while sends the counts of the windows it still has open and
     * says it is idle, once: its stream time stopped with its last record, and must not keep the
     * other partitions' windows open. Should it get events again, it goes on from where it was.
     */
    void reportIdle(long now) {
      if (idleReported
          || now - lastRecordMillis < settings.idleAfter().toMillis()
          || inputLag.of(settings.inputTopic(), context.taskId().partition()).orElse(-1) != 0) {
        return;
      }
      Long closed = store.get(CLOSED_UP_TO);
      long mark = closed == null ? Long.MIN_VALUE : closed;
      int partition = context.taskId().partition();
      for (Map.Entry<Long, Map<String, Long>> window :
          takeWindowsBefore(Long.MAX_VALUE).entrySet()) {
        context.forward(
            new Record<>(
                "counts", new Partial(partition, window.getKey(), window.getValue(), mark), now));
      }
      store.put(IDLE_REPORTED, 1L);
      idleReported = true;
      context.forward(new Record<>("counts", new Partial(partition, -1, Map.of(), IDLE), now));
      context.commit(); // the windows it held back close now: no need to wait for the interval
    }

    @Override
    public void process(Record<String, UserEvent> record) {
      lastRecordMillis = System.currentTimeMillis();
      long size = settings.window().toMillis();
      long windowStart = Math.floorDiv(record.timestamp(), size) * size;
      Long closed = store.get(CLOSED_UP_TO);
      if (closed != null && windowStart + size <= closed) {
        listener.lateForCounts(1); // its window was closed and sent: too late to count
        return;
      }
      String key = key(windowStart) + "|" + record.value().eventType().jsonName();
      Long count = store.get(key);
      store.put(key, count == null ? 1 : count + 1);
      long closeUpTo =
          Math.floorDiv(context.currentStreamTimeMs() - settings.grace().toMillis(), size) * size;
      boolean wasIdle = idleReported;
      if (closed == null || closeUpTo > closed) {
        sendClosed(record, closed, closeUpTo);
      } else if (wasIdle) {
        // Back from idle: the merging task must wait for this partition again, from its mark.
        context.forward(
            record
                .withKey("counts")
                .withValue(new Partial(context.taskId().partition(), -1, Map.of(), closed)));
      }
      if (wasIdle) {
        store.delete(IDLE_REPORTED);
        idleReported = false;
      }
    }

    /**
     * Sends the counts of every window that ends at or before {@code closeUpTo}, and forgets them.
     *
     * @param closedBefore the mark sent before, null if none
     */
    private void sendClosed(Record<String, UserEvent> record, Long closedBefore, long closeUpTo) {
      int partition = context.taskId().partition();
      TreeMap<Long, Map<String, Long>> windows = takeWindowsBefore(closeUpTo);
      store.put(CLOSED_UP_TO, closeUpTo);
      if (windows.isEmpty()) {
        context.forward(
            record.withKey("counts").withValue(new Partial(partition, -1, Map.of(), closeUpTo)));
      }
      // Only the last window's counts carry the new mark: the merging task may emit every window
      // up to the mark as soon as it reads it, and the later windows' counts must be in by then.
      long previousMark = closedBefore == null ? Long.MIN_VALUE : closedBefore;
      long lastStart = windows.isEmpty() ? Long.MIN_VALUE : windows.lastKey();
      windows.forEach(
          (start, counts) ->
              context.forward(
                  record
                      .withKey("counts")
                      .withValue(
                          new Partial(
                              partition,
                              start,
                              counts,
                              start == lastStart ? closeUpTo : previousMark))));
    }

    /** The counts of every open window that ends at or before {@code end}, taken from the store. */
    private TreeMap<Long, Map<String, Long>> takeWindowsBefore(long end) {
      long size = settings.window().toMillis();
      String last = end == Long.MAX_VALUE ? key(Long.MAX_VALUE) : key(end - size);
      TreeMap<Long, Map<String, Long>> windows = new TreeMap<>();
      List<String> done = new ArrayList<>();
      try (KeyValueIterator<String, Long> open = store.range(key(0), last + "|~")) {
        while (open.hasNext()) {
          KeyValue<String, Long> entry = open.next();
          int bar = entry.key.indexOf('|');
          long start = Long.parseLong(entry.key.substring(0, bar));
          windows
              .computeIfAbsent(start, s -> new TreeMap<>())
              .put(entry.key.substring(bar + 1), entry.value);
          done.add(entry.key);
        }
      }
      done.forEach(store::delete);
      return windows;
    }
  }

  /** Adds up the tasks' counts; emits a window when every input partition has closed it. */
  static final class MergedCounts implements Processor<String, Partial, String, WindowCount> {
    private final StreamsSettings settings;
    private final Results.Listener listener;
    private ProcessorContext<String, WindowCount> context;
    private KeyValueStore<String, Counts> open;
    private KeyValueStore<Integer, Long> closedUpTo;
    private WindowStore<String, Long> results;

    MergedCounts(StreamsSettings settings, Results.Listener listener) {
      this.settings = settings;
      this.listener = listener;
    }

    @Override
    public void init(ProcessorContext<String, WindowCount> context) {
      this.context = context;
      this.open = context.getStateStore(MERGE_STORE);
      this.closedUpTo = context.getStateStore(CLOSED_STORE);
      this.results = context.getStateStore(STORE);
      listener.countsSettled(settled()); // restored: as it was at the last commit
    }

    @Override
    public void process(Record<String, Partial> record) {
      Partial partial = record.value();
      long size = settings.window().toMillis();
      Long emitted = closedUpTo.get(EMITTED);
      if (partial.windowStart() >= 0
          && emitted != null
          && partial.windowStart() + size <= emitted) {
        // A partition that was idle sent counts of a window already emitted: too late for it.
        listener.lateForCounts(partial.counts().values().stream().mapToLong(Long::longValue).sum());
      } else if (partial.windowStart() >= 0) {
        String key = key(partial.windowStart());
        Counts counts = open.get(key);
        Map<String, Long> byType = new TreeMap<>(counts == null ? Map.of() : counts.byType());
        partial.counts().forEach((type, n) -> byType.merge(type, n, Long::sum));
        open.put(key, new Counts(byType));
      }
      Long before = closedUpTo.get(partial.partition());
      // Closed marks only grow, but a partition that was idle and has events again starts anew.
      if (before == null || before == IDLE || partial.closedUpTo() > before) {
        closedUpTo.put(partial.partition(), partial.closedUpTo());
      }
      if (partial.closedUpTo() != IDLE) {
        Long furthest = closedUpTo.get(APPLICATION_CLOSED);
        if (furthest == null || partial.closedUpTo() > furthest) {
          closedUpTo.put(APPLICATION_CLOSED, partial.closedUpTo());
        }
      }
      long everywhere = closedEverywhere();
      if (everywhere > Long.MIN_VALUE) {
        emitUpTo(record, everywhere);
      }
      boolean settled = settled();
      if (settled && partial.closedUpTo() == IDLE) {
        context.commit(); // what a quiet partition held back is out: committed without waiting
      }
      listener.countsSettled(settled);
    }

    /**
     * The end up to which every input partition has closed its windows, an idle one counting as
     * closed as far as the furthest; MIN_VALUE until every partition has said how far.
     */
    private long closedEverywhere() {
      Long furthest = closedUpTo.get(APPLICATION_CLOSED);
      if (furthest == null) {
        return Long.MIN_VALUE; // nothing read anywhere yet
      }
      long min = furthest;
      for (int partition = 0; partition < settings.inputPartitions(); partition++) {
        Long closed = closedUpTo.get(partition);
        if (closed == null) {
          return Long.MIN_VALUE;
        }
        min = Math.min(min, closed);
      }
      return min;
    }

    /**
     * Every window that ends before the application's event time less the grace is emitted: no
     * partition holds any back (each has closed as far as the furthest, or is idle).
     */
    private boolean settled() {
      Long furthest = closedUpTo.get(APPLICATION_CLOSED);
      return furthest != null && closedEverywhere() == furthest;
    }

    private void emitUpTo(Record<String, Partial> record, long end) {
      long size = settings.window().toMillis();
      List<KeyValue<String, Counts>> closed = new ArrayList<>();
      try (KeyValueIterator<String, Counts> windows = open.range(key(0), key(end - size))) {
        windows.forEachRemaining(closed::add);
      }
      for (KeyValue<String, Counts> window : closed) {
        long start = Long.parseLong(window.key);
        window
            .value
            .byType()
            .forEach(
                (type, count) -> {
                  results.put(type, count, start);
                  context.forward(
                      record
                          .withKey(type)
                          .withValue(
                              new WindowCount(
                                  Instant.ofEpochMilli(start).toString(),
                                  Instant.ofEpochMilli(start + size).toString(),
                                  type,
                                  count))
                          .withTimestamp(start + size));
                });
        open.delete(window.key);
        Long emitted = closedUpTo.get(EMITTED);
        if (emitted == null || start + size > emitted) {
          closedUpTo.put(EMITTED, start + size);
        }
      }
    }
  }
}
