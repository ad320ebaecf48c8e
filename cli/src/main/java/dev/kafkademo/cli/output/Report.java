package dev.kafkademo.cli.output;

import java.time.Duration;
import java.util.Locale;

/** Number formats shared by the summaries. */
public final class Report {
  private Report() {}

  public static String seconds(Duration duration) {
    return String.format(Locale.ROOT, "%.2f s", duration.toNanos() / 1e9);
  }

  public static String millis(long micros) {
    return String.format(Locale.ROOT, "%.1f ms", micros / 1000.0);
  }

  public static String rate(double perSecond) {
    return String.format(Locale.ROOT, "%,.0f events/s", perSecond);
  }
}
