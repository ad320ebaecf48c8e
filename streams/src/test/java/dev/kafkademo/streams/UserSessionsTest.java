package dev.kafkademo.streams;

import static dev.kafkademo.events.EventType.ADD_TO_CART;
import static dev.kafkademo.events.EventType.LOGIN;
import static dev.kafkademo.events.EventType.PAGE_VIEW;
import static dev.kafkademo.streams.TopologyFixture.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kafkademo.streams.Results.Session;
import java.util.List;
import org.junit.jupiter.api.Test;

class UserSessionsTest {
  private static final long MINUTE = 60;

  private static Session session(
      String user, long start, long end, long events, long views, long carts, long purchases) {
    return new Session(
        user,
        T0.plusSeconds(start).toString(),
        T0.plusSeconds(end).toString(),
        events,
        views,
        carts,
        purchases,
        purchases > 0);
  }

  @Test
  void aSessionEndsAfterTheInactivityGapAndIsEmittedOnceClosed() {
    try (TopologyFixture topology = new TopologyFixture()) {
      topology.send("user-1", LOGIN, 0);
      topology.send("user-1", PAGE_VIEW, 5 * MINUTE);
      topology.send("user-1", ADD_TO_CART, 10 * MINUTE);
      topology.buy("user-1", 12 * MINUTE, "9.99", "EUR");
      topology.send("user-2", PAGE_VIEW, 42 * MINUTE);
      String sessions = topology.settings.sessionsTopic();
      assertEquals(
          List.of(), topology.results(sessions, Session.class), "open till 12 + 30 min + 10 s");

      topology.send("user-2", PAGE_VIEW, 42 * MINUTE + 11);

      assertEquals(
          List.of(session("user-1", 0, 12 * MINUTE, 4, 1, 1, 1)),
          topology.results(sessions, Session.class));
    }
  }

  @Test
  void aLateEventBetweenTwoSessionsMergesThemIntoOne() {
    try (TopologyFixture topology = new TopologyFixture()) {
      topology.send("user-1", PAGE_VIEW, 0);
      // 30 min 5 s later: a second session; the first stays open for its 10 s of grace.
      topology.send("user-1", PAGE_VIEW, 30 * MINUTE + 5);
      topology.send("user-1", PAGE_VIEW, 15 * MINUTE); // late, within 30 min of both: one session
      topology.send("user-2", LOGIN, 61 * MINUTE); // stream time past its end + 30 min + grace

      assertEquals(
          List.of(session("user-1", 0, 30 * MINUTE + 5, 3, 3, 0, 0)),
          topology.results(topology.settings.sessionsTopic(), Session.class));
    }
  }

  @Test
  void anEventForASessionAlreadyClosedIsDroppedAndCounted() {
    try (TopologyFixture topology = new TopologyFixture()) {
      topology.send("user-1", PAGE_VIEW, 0);
      topology.send("user-2", PAGE_VIEW, 61 * MINUTE); // user-1's session closes: 0 + 30 min + 10 s
      topology.send("user-1", PAGE_VIEW, 30 * MINUTE); // would join it: dropped
      topology.send("user-1", PAGE_VIEW, 31 * MINUTE); // 30 min 10 s behind stream time: counts
      topology.send("user-3", LOGIN, 200 * MINUTE);

      assertEquals(
          List.of(
              session("user-1", 0, 0, 1, 1, 0, 0),
              session("user-1", 31 * MINUTE, 31 * MINUTE, 1, 1, 0, 0),
              session("user-2", 61 * MINUTE, 61 * MINUTE, 1, 1, 0, 0)),
          topology.results(topology.settings.sessionsTopic(), Session.class));
      assertEquals(1, topology.lateForSessions.get(), "dropped and counted");
    }
  }

  /** A jump in stream time must not drop sessions before they are emitted. */
  @Test
  void usersHaveSessionsOfTheirOwn() {
    try (TopologyFixture topology = new TopologyFixture()) {
      topology.send("user-1", PAGE_VIEW, 0);
      topology.send("user-2", PAGE_VIEW, 60);
      topology.send("user-3", LOGIN, 60 * MINUTE);

      assertEquals(
          List.of(session("user-1", 0, 0, 1, 1, 0, 0), session("user-2", 60, 60, 1, 1, 0, 0)),
          topology.results(topology.settings.sessionsTopic(), Session.class));
    }
  }
}
