package dev.kafkademo.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
  void eachUserFollowsVisitsThatMakeSense() {
    EventGenerator generator =
        new EventGenerator(7, new SplittableRandom(11), Clock.fixed(NOW, ZoneOffset.UTC));
    Map<String, Boolean> inVisit = new HashMap<>();
    Map<String, List<String>> cart = new HashMap<>();
    Map<String, String> currency = new HashMap<>();
    Set<EventType> seen = EnumSet.noneOf(EventType.class);

    for (int i = 0; i < 20_000; i++) {
      UserEvent event = generator.next();
      String user = event.userId();
      boolean visiting = inVisit.getOrDefault(user, false);
      Map<String, Object> p = event.properties();
      seen.add(event.eventType());
      switch (event.eventType()) {
        case LOGIN -> {
          assertFalse(visiting, "a login only outside a visit: " + event);
          inVisit.put(user, true);
          cart.put(user, new ArrayList<>());
        }
        case LOGOUT -> {
          assertTrue(visiting, "a logout only inside a visit: " + event);
          inVisit.put(user, false);
        }
        case ADD_TO_CART -> {
          assertTrue(visiting, event.toString());
          cart.get(user).add(p.get("item") + "x" + p.get("quantity"));
        }
        case PURCHASE -> {
          assertTrue(visiting, event.toString());
          BigDecimal amount = (BigDecimal) p.get("amount");
          assertTrue(amount.signum() > 0, event.toString());
          assertTrue(
              cart.get(user).stream().anyMatch(line -> line.startsWith(p.get("item") + "x")),
              "bought what is in the cart: " + event + " " + cart.get(user));
          cart.get(user)
              .remove(
                  cart.get(user).stream()
                      .filter(line -> line.startsWith(p.get("item") + "x"))
                      .findFirst()
                      .orElseThrow());
          String before = currency.putIfAbsent(user, (String) p.get("currency"));
          assertTrue(before == null || before.equals(p.get("currency")), "one currency a user");
        }
        case PAGE_VIEW, SEARCH -> assertTrue(visiting, event.toString());
      }
    }

    assertEquals(EnumSet.allOf(EventType.class), seen);
    assertEquals(Set.of("EUR", "USD"), Set.copyOf(currency.values()), "more than one currency");
  }

  @Test
  void theSameSeedGivesTheSameEvents() {
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    EventGenerator first = new EventGenerator(5, new SplittableRandom(42), clock);
    EventGenerator second = new EventGenerator(5, new SplittableRandom(42), clock);
    EventGenerator other = new EventGenerator(5, new SplittableRandom(43), clock);

    List<UserEvent> firstEvents = new ArrayList<>();
    List<UserEvent> secondEvents = new ArrayList<>();
    List<UserEvent> otherEvents = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      firstEvents.add(first.next());
      secondEvents.add(second.next());
      otherEvents.add(other.next());
    }

    assertEquals(firstEvents, secondEvents);
    assertNotEquals(firstEvents, otherEvents);
  }

  @Test
  void simulatedTimeSpreadsTheEventsWithGapsBetweenAUsersVisits() {
    Instant end = Instant.parse("2026-11-30T12:00:00Z");
    Duration span = Duration.ofHours(6);
    EventGenerator generator =
        EventGenerator.simulated(50, new SplittableRandom(5), end, span, 10_000);
    Map<String, Instant> lastLogout = new HashMap<>();
    Map<String, Instant> last = new HashMap<>();
    Instant previous = end.minus(span);
    long visitsAfterAGap = 0;
    Instant first = null;
    long atTheEnd = 0;

    for (int i = 0; i < 10_000; i++) {
      UserEvent event = generator.next();
      Instant at = event.timestamp();
      if (i == 0) {
        first = at;
      }
      if (at.equals(end)) {
        atTheEnd++;
      }
      assertFalse(at.isBefore(previous), "in time order: " + event);
      assertFalse(at.isAfter(end), event.toString());
      previous = at;
      Instant userLast = last.put(event.userId(), at);
      assertTrue(userLast == null || !at.isBefore(userLast), "each user in time order");
      if (event.eventType() == EventType.LOGOUT) {
        lastLogout.put(event.userId(), at);
      } else if (event.eventType() == EventType.LOGIN && lastLogout.containsKey(event.userId())) {
        Duration away = Duration.between(lastLogout.get(event.userId()), at);
        assertTrue(away.compareTo(Duration.ofMinutes(30)) > 0, "away longer than a session gap");
        visitsAfterAGap++;
      }
    }

    assertTrue(
        Duration.between(previous, end).compareTo(span.dividedBy(5)) < 0,
        "the events reach close to the end of the span: " + previous);
    assertTrue(
        Duration.between(end.minus(span), first).compareTo(span.dividedBy(10)) < 0,
        "and start close to its beginning: " + first);
    assertTrue(atTheEnd < 100, atTheEnd + " events squeezed onto the end of the span");
    assertTrue(visitsAfterAGap > 50, "users come back: " + visitsAfterAGap);
  }

  @ParameterizedTest
  @CsvSource({"5, 10000, 2", "5, 10000, 6", "3, 200, 1", "100, 1000, 24", "1, 50000, 12"})
  void simulatedRunsFillTheirSpanInTimeOrder(int users, int count, int hours) {
    Instant end = Instant.parse("2026-11-30T12:00:00Z");
    Duration span = Duration.ofHours(hours);
    EventGenerator generator =
        EventGenerator.simulated(users, new SplittableRandom(users + count), end, span, count);
    Instant previous = end.minus(span);
    long atTheEnd = 0;

    for (int i = 0; i < count; i++) {
      Instant at = generator.next().timestamp();
      assertFalse(at.isBefore(previous), "in time order");
      atTheEnd += at.equals(end) ? 1 : 0;
      previous = at;
    }

    assertTrue(atTheEnd <= count / 100, atTheEnd + " of " + count + " squeezed onto the end");
    assertTrue(
        Duration.between(previous, end).compareTo(span.dividedBy(3)) < 0,
        "the last event is near the end of the span: " + previous);
  }

  @Test
  void needsAtLeastOneUser() {
    assertThrows(IllegalArgumentException.class, () -> new EventGenerator(0));
  }
}
