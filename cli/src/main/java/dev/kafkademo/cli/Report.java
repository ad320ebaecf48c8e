package dev.kafkademo.cli;

import java.time.Duration;
import java.util.Locale;

/** Number formats shared by the summaries. */
final class Report {
  private Report() {}

  static String seconds(Duration duration) {
    return String.format(Locale.ROOT, "%.2f s", duration.toNanos() / 1e9);
  }

  static String millis(long micros) {
    return String.format(Locale.ROOT, "%.1f ms", micros / 1000.0);
  }

  static String rate(double perSecond) {
    return String.format(Locale.ROOT, "%,.0f events/s", perSecond);
  }
}
