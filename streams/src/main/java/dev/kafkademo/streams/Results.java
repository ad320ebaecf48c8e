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
     * Whether the counts hold nothing back: every input partition has closed its windows as far as
     * the application's event time (less the grace), or is idle, so every window that ends before
     * that has been emitted. Told after each change; false while a partition has not reported yet.
     */
    default void countsSettled(boolean settled) {}

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
