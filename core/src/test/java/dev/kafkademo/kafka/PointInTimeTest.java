package dev.kafkademo.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PointInTimeTest {
  private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

  @ParameterizedTest
  @CsvSource({
    "2026-12-04T10:00:00Z, 2026-12-04T10:00:00Z",
    "2026-12-04T10:00:00.250Z, 2026-12-04T10:00:00.250Z",
    "2026-12-04T11:00:00+01:00, 2026-12-04T10:00:00Z",
    "2026-12-04, 2026-12-04T00:00:00Z",
    "90m, 2026-12-04T10:30:00Z",
    "2h, 2026-12-04T10:00:00Z",
    "3d, 2026-12-01T12:00:00Z",
    "30s, 2026-12-04T11:59:30Z"
  })
  void readsInstantsDatesAndDurationsAgo(String text, String expected) {
    assertEquals(Instant.parse(expected), PointInTime.parse(text, NOW));
  }

  @ParameterizedTest
  @ValueSource(strings = {"yesterday", "", "2026-13-01", "2026-12-04T25:00:00Z", "1.5h", "-2h"})
  void anythingElseNamesTheAcceptedForms(String text) {
    var error = assertThrows(IllegalArgumentException.class, () -> PointInTime.parse(text, NOW));
    assertTrue(error.getMessage().contains("2026-12-04T10:00:00Z"), error.getMessage());
    assertTrue(error.getMessage().contains("90m, 2h or 3d"), error.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"2026-12-04T10:00:00", "2026-12-04T10:00"})
  void aTimeWithoutAZoneIsRefusedRatherThanGuessed(String text) {
    var error = assertThrows(IllegalArgumentException.class, () -> PointInTime.parse(text, NOW));
    assertTrue(error.getMessage().contains("no time zone"), error.getMessage());
  }
}
