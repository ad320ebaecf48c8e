package dev.kafkademo.kafka;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as Kafka tool users write them: {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h},
 * {@code 3d}.
 */
public final class Durations {
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  /** The longest duration taken: a year, far below where nanoseconds overflow a long. */
  public static final Duration MAX = Duration.ofDays(365);

  private Durations() {}

  /**
   * @throws IllegalArgumentException naming the accepted forms, for a bare number or anything else
   */
  public static Duration parse(String text) {
    Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'"
              + text
              + "' is not a duration: write a whole number with a unit, like 500ms, 30s, 2m, 1h or 3d");
    }
    // At most 19 digits fit a long; a year in milliseconds has 11.
    long amount = m.group(1).length() > 15 ? Long.MAX_VALUE / 1000 : Long.parseLong(m.group(1));
    Duration duration =
        switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(amount);
          case "s" -> Duration.ofSeconds(amount);
          case "m" -> Duration.ofMinutes(Math.min(amount, MAX.toMinutes() + 1));
          case "d" -> Duration.ofDays(Math.min(amount, MAX.toDays() + 1));
          default -> Duration.ofHours(Math.min(amount, MAX.toHours() + 1));
        };
    if (duration.compareTo(MAX) > 0) {
      throw new IllegalArgumentException(
          "'" + text + "' is too long: at most " + MAX.toDays() + "d (a year)");
    }
    return duration;
  }

  /** The shortest exact form: {@code 10s}, {@code 1500ms}, {@code 2m}. */
  public static String format(Duration duration) {
    long millis = duration.toMillis();
    if (millis % 3_600_000 == 0 && millis > 0) {
      return millis / 3_600_000 + "h";
    }
    if (millis % 60_000 == 0 && millis > 0) {
      return millis / 60_000 + "m";
    }
    if (millis % 1000 == 0) {
      return millis / 1000 + "s";
    }
    return millis + "ms";
  }
}
