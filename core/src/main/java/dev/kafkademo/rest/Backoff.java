package dev.kafkademo.rest;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The pauses between tries of a request a service may answer in a moment (a registry restarting,
 * Connect rebalancing): doubling from the first pause up to two seconds, for as long as a budget
 * (the client's timeout) allows. One per request.
 */
public final class Backoff {
  private static final long MAX_PAUSE_NANOS = TimeUnit.SECONDS.toNanos(2);

  private final long deadlineNanos;
  private long pauseNanos;

  public Backoff(Duration firstPause, Duration budget) {
    this.deadlineNanos = System.nanoTime() + budget.toNanos();
    this.pauseNanos = firstPause.toNanos();
  }

  /**
   * Waits before the next try and returns true; returns false at once when that try would start
   * past the budget.
   */
  public boolean pause() throws InterruptedException {
    if (System.nanoTime() + pauseNanos > deadlineNanos) {
      return false;
    }
    TimeUnit.NANOSECONDS.sleep(pauseNanos);
    pauseNanos = Math.min(pauseNanos * 2, MAX_PAUSE_NANOS);
    return true;
  }
}
