package dev.kafkademo.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The fast path must give what Instant.parse gives, for every text, errors included. */
class UtcTimestampsTest {
  @Test
  void readsRandomInstantsWithEveryFractionLengthAsInstantParseDoes() {
    SplittableRandom random = new SplittableRandom(11);
    for (int i = 0; i < 20_000; i++) {
      Instant instant =
          Instant.ofEpochSecond(
              random.nextLong(-62_000_000_000L, 253_000_000_000L), random.nextInt(1_000_000_000));
      String text = instant.toString(); // 0, 3, 6 or 9 fraction digits
      int cut = random.nextInt(10); // and every other length, by cutting digits off
      int dot = text.indexOf('.');
      String shorter =
          dot < 0 ? text : text.substring(0, Math.min(text.length() - 1, dot + 1 + cut)) + "Z";

      assertSameAsInstantParse(text);
      assertSameAsInstantParse(shorter);
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2026-11-25T10:15:30Z",
        "2026-11-25T10:15:30.1Z",
        "2026-11-25T10:15:30.123456789Z",
        "2026-11-25T10:15:30.1234567891Z",
        "2026-11-25T10:15:30.Z",
        "2026-11-25T24:00:00Z",
        "2016-12-31T23:59:60Z",
        "2026-02-29T00:00:00Z",
        "2024-02-29T00:00:00Z",
        "2026-13-01T00:00:00Z",
        "2026-11-25t10:15:30z",
        "2026-11-25T10:15:30+01:00",
        "2026-11-25T10:15Z",
        "2026-11-25 10:15:30Z",
        "2026-1a-25T10:15:30Z",
        "2026-11-25T10:15:3０Z",
        "+12026-11-25T10:15:30Z",
        "yesterday",
        ""
      })
  void treatsEdgeCasesAndMistakesAsInstantParseDoes(String text) {
    assertSameAsInstantParse(text);
  }

  private static void assertSameAsInstantParse(String text) {
    assertEquals(
        outcome(() -> Instant.parse(text)), outcome(() -> UtcTimestamps.parse(text)), text);
  }

  /** The instant, or the kind of error: what a caller can tell apart. */
  private static String outcome(java.util.function.Supplier<Instant> parse) {
    try {
      return parse.get().toString();
    } catch (RuntimeException e) {
      return e.getClass().getName();
    }
  }
}
