package dev.kafkademo.cli.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProgressTickerTest {
  private static long tickerThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals("kafka-demo-progress") && t.isAlive())
        .count();
  }

  /** Without --stats (or with --quiet) nothing is to be done: no thread wakes for it. */
  @Test
  void aZeroPeriodStartsNoThreadAtAll() {
    long before = tickerThreads();
    try (ProgressTicker none = ProgressTicker.every(Duration.ZERO, () -> {})) {
      assertEquals(before, tickerThreads());
    }
  }
}
