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
    return rate(perSecond, "events");
  }

  /** {@code 1,234 records/s}. */
  public static String rate(double perSecond, String unit) {
    return String.format(Locale.ROOT, "%,.0f %s/s", perSecond, unit);
  }

  /** {@code 1 line} or {@code 2 lines}. */
  public static String count(long n, String noun) {
    return String.format(Locale.ROOT, "%,d %s%s", n, noun, n == 1 ? "" : "s");
  }
}
