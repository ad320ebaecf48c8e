package dev.kafkademo.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {
  @Test
  void readsTheUnitsKafkaToolUsersWrite() {
    assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
    assertEquals(Duration.ofSeconds(30), Durations.parse("30s"));
    assertEquals(Duration.ofMinutes(2), Durations.parse("2m"));
    assertEquals(Duration.ofHours(1), Durations.parse("1h"));
    assertEquals(Duration.ofDays(3), Durations.parse("3d"));
    assertEquals(Duration.ofSeconds(10), Durations.parse(" 10S "));
  }

  @ParameterizedTest
  @ValueSource(strings = {"10", "", "s", "1.5s", "-3s", "10 seconds", "PT10S"})
  void rejectsAnythingElseNamingTheAcceptedForms(String text) {
    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));

    assertTrue(error.getMessage().contains("like 500ms, 30s, 2m"), error.getMessage());
  }

  @Test
  void refusesDurationsLongerThanAYearInsteadOfOverflowing() {
    assertEquals(Duration.ofHours(8760), Durations.parse("8760h"));
    assertEquals(Duration.ofDays(365), Durations.parse("365d"));
    for (String text : new String[] {"8761h", "366d", "999999999h", "99999999999999999999999ms"}) {
      IllegalArgumentException error =
          assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
      assertTrue(error.getMessage().contains("too long: at most 365d"), error.getMessage());
    }
  }

  @Test
  void formatsInTheShortestExactUnit() {
    assertEquals("10s", Durations.format(Duration.ofSeconds(10)));
    assertEquals("1500ms", Durations.format(Duration.ofMillis(1500)));
    assertEquals("2m", Durations.format(Duration.ofMinutes(2)));
    assertEquals("1h", Durations.format(Duration.ofHours(1)));
    assertEquals("0s", Durations.format(Duration.ZERO));
  }
}
