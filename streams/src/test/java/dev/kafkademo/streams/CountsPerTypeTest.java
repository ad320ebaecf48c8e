package dev.kafkademo.streams;

import static dev.kafkademo.events.EventType.LOGIN;
import static dev.kafkademo.events.EventType.PAGE_VIEW;
import static dev.kafkademo.streams.TopologyFixture.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kafkademo.events.EventType;
import dev.kafkademo.events.UserEvent;
import dev.kafkademo.streams.CountsPerType.Partial;
import dev.kafkademo.streams.Results.WindowCount;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

class CountsPerTypeTest {
  private static WindowCount count(long startSeconds, String type, long count) {
    return new WindowCount(
        T0.plusSeconds(startSeconds).toString(),
        T0.plusSeconds(startSeconds + 60).toString(),
        type,
        count);
  }

  @Test
  void aWindowIsEmittedOnceWhenStreamTimePassesItsEndPlusGrace() {
    try (TopologyFixture topology = new TopologyFixture()) {
      topology.send("user-1", LOGIN, 0);
      topology.send("user-1", PAGE_VIEW, 20);
      topology.send("user-2", PAGE_VIEW, 59);
      topology.send("user-2", PAGE_VIEW, 69); // next window; 60 + 10 s grace not yet passed
      String counts = topology.settings.countsTopic();
      assertEquals(List.of(), topology.results(counts, WindowCount.class), "still open");

      topology.send("user-2", PAGE_VIEW, 70); // stream time reaches the end plus grace

      assertEquals(
          List.of(count(0, "login", 1), count(0, "page_view", 2)),
          topology.results(counts, WindowCount.class));
    }
  }

  @Test
  void windowBoundariesAreStartInclusiveAndEndExclusive() {
    try (TopologyFixture topology = new TopologyFixture()) {
      topology.send("user-1", PAGE_VIEW, 59);
      topology.send("user-1", PAGE_VIEW, 60);
      topology.send("user-1", LOGIN, 200); // closes both windows

      assertEquals(
          List.of(count(0, "page_view", 1), count(60, "page_view", 1)),
          topology.results(topology.settings.countsTopic(), WindowCount.class));
    }
  }

  @Test
  void outOfOrderEventsInsideTheGraceAreCountedAndLaterOnesDroppedAndCounted() {
    try (TopologyFixture topology = new TopologyFixture()) {
      topology.send("user-1", PAGE_VIEW, 10);
      topology.send("user-1", PAGE_VIEW, 65); // stream time 65: window [0, 60) open till 70
      topology.send("user-2", PAGE_VIEW, 50); // late, but inside the grace: counted
      topology.send("user-1", PAGE_VIEW, 71); // closes [0, 60)
      topology.send("user-2", PAGE_VIEW, 30); // too late: dropped

      assertEquals(
          List.of(count(0, "page_view", 2)),
          topology.results(topology.settings.countsTopic(), WindowCount.class));
      assertEquals(1, topology.lateForCounts.get(), "dropped and counted");
    }
  }

  /**
   * Streams revives a task after a failed transaction: its stores go back to what was committed,
   * its stream time too, and the same processor is initialised again and processes the same records
   * again. It must send what it sent the first time: a stream time kept from before would close
   * windows early and drop their events as late (the exactly-once crash test lost windows so).
   */
  @Test
  void aProcessorInitialisedAgainAfterAFailedTransactionSendsWhatItSentTheFirstTime() {
    StreamsSettings settings = TopologyFixture.settings(1);
    CountsPerType.PartialCounts processor =
        new CountsPerType.PartialCounts(settings, Results.Listener.NONE, new InputLag());
    long[] seconds = {5, 30, 65, 90, 130, 200, 330};

    List<Partial> first = runFromCommitted(processor, seconds);
    List<Partial> again = runFromCommitted(processor, seconds); // revived: nothing was committed

    assertEquals(
        List.of("0 2", "60 2", "120 1", "180 1"),
        first.stream()
            .filter(partial -> partial.windowStart() >= 0)
            .map(
                partial ->
                    (partial.windowStart() - T0.toEpochMilli()) / 1000
                        + " "
                        + partial.counts().get("page_view"))
            .toList(),
        "the windows closed by the last event, with their counts");
    assertEquals(first, again);
  }

  /** A fresh store and stream time (nothing committed), the processor initialised, records in. */
  private static List<Partial> runFromCommitted(
      CountsPerType.PartialCounts processor, long[] seconds) {
    MockProcessorContext<String, Partial> context = new MockProcessorContext<>();
    TopologyFixture.addPartialStore(context);
    processor.init(context);
    long streamTime = Long.MIN_VALUE;
    for (long second : seconds) {
      long at = T0.plusSeconds(second).toEpochMilli();
      streamTime = Math.max(streamTime, at); // as the task does before handing a record over
      context.setCurrentStreamTimeMs(streamTime);
      UserEvent event =
          new UserEvent(
              UUID.randomUUID(), "user-1", EventType.PAGE_VIEW, T0.plusSeconds(second), Map.of());
      processor.process(new Record<>("user-1", event, at));
    }
    return context.forwarded().stream().<Partial>map(f -> f.record().value()).toList();
  }
}
