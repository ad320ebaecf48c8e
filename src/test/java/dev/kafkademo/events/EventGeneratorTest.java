package dev.kafkademo.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventGeneratorTest {
  private static final Instant NOW = Instant.parse("2026-11-25T12:00:00.123456Z");

  @Test
  void makesValidEventsOfEveryTypeFromTheRequestedUsers() throws InvalidEventException {
    EventGenerator generator =
        new EventGenerator(4, new SplittableRandom(7), Clock.fixed(NOW, ZoneOffset.UTC));
    Set<String> users = new HashSet<>();
    Set<EventType> types = EnumSet.noneOf(EventType.class);
    Set<UUID> ids = new HashSet<>();

    for (int i = 0; i < 2_000; i++) {
      UserEvent event = generator.next();
      assertEquals(event, EventJson.parse(EventJson.toBytes(event)), "survives its own JSON");
      users.add(event.userId());
      types.add(event.eventType());
      ids.add(event.eventId());
      assertEquals(4, event.eventId().version());
      assertEquals(Instant.parse("2026-11-25T12:00:00.123Z"), event.timestamp());
    }

    assertEquals(Set.of("user-1", "user-2", "user-3", "user-4"), users);
    assertEquals(EnumSet.allOf(EventType.class), types);
    assertEquals(2_000, ids.size(), "event ids are unique");
  }

  @Test
  void givesEachTypeTheDetailsItCarries() {
    EventGenerator generator = new EventGenerator(3, new SplittableRandom(1), Clock.systemUTC());
    for (int i = 0; i < 500; i++) {
      UserEvent event = generator.next();
      Set<String> keys = event.properties().keySet();
      switch (event.eventType()) {
        case PAGE_VIEW -> assertTrue(keys.contains("page"), keys::toString);
        case SEARCH -> assertTrue(keys.contains("query"), keys::toString);
        case PURCHASE ->
            assertTrue(keys.containsAll(Set.of("item", "amount", "currency")), keys::toString);
        case ADD_TO_CART ->
            assertTrue(keys.containsAll(Set.of("item", "quantity")), keys::toString);
        case LOGIN -> assertTrue(keys.contains("method"), keys::toString);
        case LOGOUT -> assertTrue(keys.contains("sessionSeconds"), keys::toString);
      }
    }
  }

  @Test
  void propertiesComeInTheSameOrderEveryTime() {
    EventGenerator generator =
        new EventGenerator(1, new SplittableRandom(3), Clock.fixed(NOW, ZoneOffset.UTC));
    Map<EventType, List<String>> expected =
        Map.of(
            EventType.PURCHASE, List.of("item", "amount", "currency"),
            EventType.ADD_TO_CART, List.of("item", "quantity"));

    for (int i = 0; i < 500; i++) {
      UserEvent event = generator.next();
      List<String> order = expected.get(event.eventType());
      if (order != null) {
        assertEquals(order, List.copyOf(event.properties().keySet()), event.toString());
        String json = new String(EventJson.toBytes(event), StandardCharsets.UTF_8);
        assertTrue(
            json.indexOf("\"" + order.get(0) + "\"") < json.indexOf("\"" + order.get(1) + "\""),
            json);
      }
    }
  }

  @Test
  void needsAtLeastOneUser() {
    assertThrows(IllegalArgumentException.class, () -> new EventGenerator(0));
  }
}
