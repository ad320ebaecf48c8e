package dev.kafkademo.kafka;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * A point in time as the commands take it ({@code consumer --from-time}, {@code groups
 * reset-offsets --to-datetime}): an ISO-8601 instant with its zone ({@code 2026-12-04T10:00:00Z},
 * {@code 2026-12-04T11:00:00+01:00}), a date (its start, in UTC), or a duration ago ({@code 90m},
 * {@code 2h}, {@code 3d}).
 */
public final class PointInTime {
  private PointInTime() {}

  /**
   * @param now what "ago" counts back from
   * @throws IllegalArgumentException naming the accepted forms
   */
  public static Instant parse(String text, Instant now) {
    String trimmed = text.trim();
    if (trimmed.contains("T")) {
      try {
        return OffsetDateTime.parse(trimmed).toInstant();
      } catch (DateTimeParseException e) {
        // A date and time without a zone: which zone is meant cannot be guessed safely.
        if (readsAsLocal(trimmed)) {
          throw new IllegalArgumentException(
              "'" + text + "' has no time zone: add Z for UTC, or an offset like +01:00");
        }
        throw notATime(text);
      }
    }
    if (trimmed.length() == 10 && trimmed.charAt(4) == '-') {
      try {
        return LocalDate.parse(trimmed).atStartOfDay(ZoneOffset.UTC).toInstant();
      } catch (DateTimeParseException e) {
        throw notATime(text);
      }
    }
    Duration ago;
    try {
      ago = Durations.parse(trimmed);
    } catch (IllegalArgumentException e) {
      throw notATime(text);
    }
    return now.minus(ago);
  }

  private static boolean readsAsLocal(String text) {
    try {
      LocalDateTime.parse(text);
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  private static IllegalArgumentException notATime(String text) {
    return new IllegalArgumentException(
        "'"
            + text
            + "' is not a time: write an ISO-8601 instant like 2026-12-04T10:00:00Z, a date"
            + " like 2026-12-04 (UTC), or a duration ago like 90m, 2h or 3d");
  }
}
