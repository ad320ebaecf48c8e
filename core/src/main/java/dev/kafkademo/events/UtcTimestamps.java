package dev.kafkademo.events;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Reads ISO-8601 instants as {@link Instant#parse} does, with a fast path for the form events carry
 * ({@code 2026-01-31T12:00:00Z}, optionally with 1 to 9 fraction digits): the formatter behind
 * {@code Instant.parse} was over a quarter of the consumer's CPU time. Any other text (offsets,
 * lower case, 24:00, leap seconds, errors) goes to {@code Instant.parse}, so results and errors are
 * exactly its own.
 */
final class UtcTimestamps {
  private static final int[] SCALE = {
    1_000_000_000, 100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1
  };

  private UtcTimestamps() {}

  /**
   * @throws java.time.format.DateTimeParseException as {@code Instant.parse} does
   */
  static Instant parse(String text) {
    Instant instant = parseCommonForm(text);
    return instant != null ? instant : Instant.parse(text);
  }

  /** {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z} in ASCII, or null for anything else. */
  private static Instant parseCommonForm(String text) {
    int length = text.length();
    if (length < 20
        || length == 21
        || length > 30
        || text.charAt(4) != '-'
        || text.charAt(7) != '-'
        || text.charAt(10) != 'T'
        || text.charAt(13) != ':'
        || text.charAt(16) != ':'
        || text.charAt(length - 1) != 'Z') {
      return null;
    }
    int year = digits(text, 0, 4);
    int month = digits(text, 5, 2);
    int day = digits(text, 8, 2);
    int hour = digits(text, 11, 2);
    int minute = digits(text, 14, 2);
    int second = digits(text, 17, 2);
    if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) {
      return null;
    }
    if (hour > 23 || minute > 59 || second > 59) {
      return null; // 24:00 and leap seconds: Instant.parse has rules for those
    }
    int nanos = 0;
    if (length > 20) {
      int fractionDigits = length - 21; // between the '.' and the 'Z'
      int fraction = digits(text, 20, fractionDigits);
      if (text.charAt(19) != '.' || fraction < 0) {
        return null;
      }
      nanos = fraction * SCALE[fractionDigits];
    }
    try {
      return LocalDateTime.of(year, month, day, hour, minute, second, nanos)
          .toInstant(ZoneOffset.UTC);
    } catch (DateTimeException e) {
      return null; // 2026-02-30 and the like: Instant.parse says what is wrong
    }
  }

  /** The number written by {@code count} ASCII digits from {@code start}, or -1. */
  private static int digits(String text, int start, int count) {
    int value = 0;
    for (int i = start; i < start + count; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }
}
