package dev.kafkademo.streams;

import java.math.BigDecimal;

/** What the application emits, one record per result, as JSON on its output topics. */
public final class Results {
  private Results() {}

  /** Events of one type in one tumbling window, emitted once, when the window closes. */
  public record WindowCount(String windowStart, String windowEnd, String eventType, long count) {}

  /** A user's purchases in one currency so far: emitted on every change. */
  public record Revenue(String userId, String currency, BigDecimal total, long purchases) {}

  /** One visit of a user, between inactivity gaps: emitted once, when the session closes. */
  public record Session(
      String userId,
      String start,
      String end,
      long events,
      long pageViews,
      long addToCart,
      long purchases,
      boolean converted) {}

  /** Told about each result as it is written to its topic; called on a stream thread. */
  public interface Listener {
    void windowClosed(WindowCount count);

    void revenueChanged(Revenue revenue);

    void sessionClosed(Session session);

    /** Events that came after their window was closed, so they are not counted. */
    default void lateForCounts(long count) {}

    /** Events that came after their session was closed, so they are not in any session. */
    default void lateForSessions(long count) {}

    /**
     * Every input partition has told the counts how far it has closed its windows, or that it is
     * empty or idle: from now on windows close as the events come. Until then none can close.
     */
    default void everyPartitionHeard() {}

    Listener NONE =
        new Listener() {
          @Override
          public void windowClosed(WindowCount count) {}

          @Override
          public void revenueChanged(Revenue revenue) {}

          @Override
          public void sessionClosed(Session session) {}
        };
  }
}
