package dev.kafkademo.support;

import java.util.concurrent.atomic.AtomicInteger;

/** Topic and group names no other test uses, so tests never see each other's events. */
public final class Names {
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static final String RUN = Long.toString(System.currentTimeMillis() % 1_000_000, 36);

  private Names() {}

  public static String unique(String prefix) {
    return prefix + "-" + RUN + "-" + COUNTER.incrementAndGet();
  }
}
