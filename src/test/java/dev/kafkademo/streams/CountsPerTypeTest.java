package dev.kafkademo.streams;

import static dev.kafkademo.events.EventType.LOGIN;
import static dev.kafkademo.events.EventType.PAGE_VIEW;
import static dev.kafkademo.streams.TopologyFixture.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kafkademo.streams.Results.WindowCount;
import java.util.List;
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
}
