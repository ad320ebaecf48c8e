package dev.kafkademo.sql;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The records a query left out because they are not user events, counted where the table's format
 * reads them, for the summary. The local cluster runs in this process, so the count is here too.
 */
public final class SkippedRecords {
  private static final AtomicLong COUNT = new AtomicLong();
  private static final AtomicReference<String> FIRST_REASON = new AtomicReference<>();

  private SkippedRecords() {}

  static void add(String reason) {
    COUNT.incrementAndGet();
    FIRST_REASON.compareAndSet(null, reason);
  }

  /** How many were left out so far. */
  public static long count() {
    return COUNT.get();
  }

  /** Why the first one was left out, or null. */
  public static String firstReason() {
    return FIRST_REASON.get();
  }
}
