package dev.kafkademo.streams;

import static dev.kafkademo.streams.TopologyFixture.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kafkademo.events.EventType;
import dev.kafkademo.events.UserEvent;
import dev.kafkademo.streams.CountsPerType.Partial;
import dev.kafkademo.streams.Results.WindowCount;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.Test;

/**
 * Three input tasks and the merging task of the counts per type, wired by hand: each input task's
 * counts go to the merge in the order it sends them. A partition whose events stop earlier than the
 * others' (a key range whose users logged off) must not hold the others' windows back once it has
 * nothing left to read; a partition that gets events again goes on as before.
 */
class QuietPartitionsTest {
  private static final int PARTITIONS = 3;
  private static final long MINUTE = 60_000;

  private final StreamsSettings settings = TopologyFixture.settings(PARTITIONS);
  private final List<Input> inputs = new ArrayList<>();
  private final MockProcessorContext<String, WindowCount> mergeContext =
      new MockProcessorContext<>();
  private final CountsPerType.MergedCounts merge;
  private final AtomicLong late = new AtomicLong();
  private final AtomicBoolean settled = new AtomicBoolean();
  private final Map<String, Long> sent = new TreeMap<>();

  QuietPartitionsTest() {
    Results.Listener listener =
        new Results.Listener() {
          @Override
          public void windowClosed(WindowCount count) {}

          @Override
          public void revenueChanged(Results.Revenue revenue) {}

          @Override
          public void sessionClosed(Results.Session session) {}

          @Override
          public void lateForCounts(long count) {
            late.addAndGet(count);
          }

          @Override
          public void countsSettled(boolean now) {
            settled.set(now);
          }
        };
    KeyValueStore<String, CountsPerType.Counts> open =
        Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(CountsPerType.MERGE_STORE),
                Serdes.String(),
                JsonSerde.of(CountsPerType.Counts.class))
            .withLoggingDisabled()
            .build();
    KeyValueStore<Integer, Long> closed =
        Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(CountsPerType.CLOSED_STORE),
                Serdes.Integer(),
                Serdes.Long())
            .withLoggingDisabled()
            .build();
    WindowStore<String, Long> results =
        Stores.windowStoreBuilder(
                Stores.inMemoryWindowStore(
                    CountsPerType.STORE, Duration.ofDays(1), Duration.ofMinutes(1), false),
                Serdes.String(),
                Serdes.Long())
            .withLoggingDisabled()
            .build();
    for (var store : List.of(open, closed, results)) {
      store.init(mergeContext.getStateStoreContext(), store);
      mergeContext.addStateStore(store);
    }
    merge = new CountsPerType.MergedCounts(settings, listener);
    merge.init(mergeContext);
    for (int partition = 0; partition < PARTITIONS; partition++) {
      inputs.add(new Input(partition, listener));
    }
  }

  /** One input task: its processor, its store and its stream time. */
  private final class Input {
    final MockProcessorContext<String, Partial> context;
    final CountsPerType.PartialCounts counts;
    long streamTime = Long.MIN_VALUE;

    Input(int partition, Results.Listener listener) {
      context = new MockProcessorContext<>(new Properties(), new TaskId(0, partition), null);
      TopologyFixture.addPartialStore(context);
      counts = new CountsPerType.PartialCounts(settings, listener, InputLag.caughtUp());
      counts.init(context);
    }

    void event(long secondsAfterT0, EventType type) {
      long at = T0.plusSeconds(secondsAfterT0).toEpochMilli();
      streamTime = Math.max(streamTime, at); // as the task does before handing a record over
      context.setCurrentStreamTimeMs(streamTime);
      UserEvent event =
          new UserEvent(UUID.randomUUID(), "user", type, Instant.ofEpochMilli(at), Map.of());
      counts.process(new Record<>("user", event, at));
      sent.merge(window(at) + " " + type.jsonName(), 1L, Long::sum);
      deliver();
    }

    /** A wall-clock tick after {@code secondsQuiet} without records. */
    void quietFor(long secondsQuiet) {
      counts.reportIdle(System.currentTimeMillis() + secondsQuiet * 1000);
      deliver();
    }

    private void deliver() {
      for (var forwarded : context.forwarded()) {
        var partial = forwarded.record();
        merge.process(new Record<>(partial.key(), partial.value(), partial.timestamp()));
      }
      context.resetForwards();
    }
  }

  private static String window(long at) {
    return Instant.ofEpochMilli(Math.floorDiv(at, MINUTE) * MINUTE).toString();
  }

  /** Window and type to count, for every window emitted; each emitted once. */
  private Map<String, Long> emitted() {
    Map<String, Long> emitted = new TreeMap<>();
    for (var forwarded : mergeContext.forwarded()) {
      WindowCount count = forwarded.record().value();
      Long before = emitted.put(count.windowStart() + " " + count.eventType(), count.count());
      assertEquals(null, before, "each window's count once: " + count);
    }
    return emitted;
  }

  /**
   * The events sent so far, per window and type, for the windows that end at or before {@code end}.
   */
  private Map<String, Long> sentBefore(long secondsAfterT0End) {
    Instant end = T0.plusSeconds(secondsAfterT0End);
    Map<String, Long> expected = new TreeMap<>();
    sent.forEach(
        (key, count) -> {
          Instant start = Instant.parse(key.substring(0, key.indexOf(' ')));
          if (!start.plusSeconds(60).isAfter(end)) {
            expected.put(key, count);
          }
        });
    return expected;
  }

  /** Partition 0's users stop after an hour; partitions 1 and 2 go on for another hour. */
  private void twoHoursWithPartitionZeroQuietAfterOne() {
    for (long second = 0; second < 7200; second += 7) {
      EventType type = EventType.values()[(int) (second % EventType.values().length)];
      if (second < 3600) {
        inputs.get(0).event(second, type);
      }
      inputs.get(1).event(second + 3, type);
      inputs.get(2).event(second + 5, EventType.PAGE_VIEW);
    }
  }

  @Test
  void aPartitionWhoseEventsStopAnHourEarlierHoldsNoWindowBackOnceItHasNothingToRead() {
    twoHoursWithPartitionZeroQuietAfterOne();
    assertFalse(settled.get(), "partition 0's stream time stopped at its last event");
    assertEquals(sentBefore(3540), emitted(), "before it says it is idle: only what it has closed");

    inputs.get(0).quietFor(3);

    // The others' stream time is 2:00:03, less 10 s grace: every window that ends by 1:59 closed.
    assertEquals(sentBefore(7140), emitted(), "every window behind the application's time");
    assertEquals(0, late.get());
    assertTrue(settled.get(), "nothing held back any more");
  }

  @Test
  void aQuietPartitionThatGetsEventsAgainGoesOnAsBeforeAndWhatIsBehindTheEmittedIsLate() {
    twoHoursWithPartitionZeroQuietAfterOne();
    inputs.get(0).quietFor(3);
    Map<String, Long> before = emitted();

    inputs.get(0).event(7190, EventType.PURCHASE); // back, in a window not emitted yet
    inputs.get(0).event(600, EventType.LOGIN); // behind what was emitted: late
    assertEquals(1, late.get(), "the event behind what was emitted is dropped and counted");
    sent.computeIfPresent(
        window(T0.plusSeconds(600).toEpochMilli()) + " login", (key, n) -> n == 1 ? null : n - 1);

    for (long second = 7200; second < 7500; second += 7) {
      inputs.get(1).event(second, EventType.SEARCH);
      inputs.get(2).event(second, EventType.SEARCH);
    }
    assertEquals(before, emitted(), "partition 0 holds windows back again from its own time");
    assertFalse(settled.get());

    inputs.get(0).event(7495, EventType.LOGOUT);
    // Every partition's stream time is 2:04:55 or later; less the grace: windows up to 2:04 close.
    assertEquals(sentBefore(7440), emitted(), "its counts in their windows, each once");

    inputs.get(0).quietFor(3);
    assertEquals(sentBefore(7440), emitted(), "idle again: nothing after the others' time");
  }
}
