package dev.kafkademo.events;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Makes plausible user activity: {@code users} distinct users ({@code user-1} ... {@code user-N}),
 * each event of a random type with the properties that type carries.
 */
public final class EventGenerator {
  private static final EventType[] TYPES = EventType.values();
  private static final String[] PAGES = {
    "/", "/products", "/products/42", "/cart", "/help", "/account"
  };
  private static final String[] ITEMS = {
    "sku-1001", "sku-1002", "sku-2001", "sku-3001", "sku-4004"
  };
  private static final String[] QUERIES = {"running shoes", "coffee", "kafka book", "headphones"};

  private final SplittableRandom random;
  private final int users;
  private final Clock clock;

  public EventGenerator(int users) {
    this(users, new SplittableRandom(), Clock.systemUTC());
  }

  public EventGenerator(int users, SplittableRandom random, Clock clock) {
    if (users < 1) {
      throw new IllegalArgumentException("users must be at least 1, got " + users);
    }
    this.users = users;
    this.random = random;
    this.clock = clock;
  }

  public UserEvent next() {
    EventType type = TYPES[random.nextInt(TYPES.length)];
    String userId = "user-" + (1 + random.nextInt(users));
    return new UserEvent(
        randomUuid(),
        userId,
        type,
        clock.instant().truncatedTo(ChronoUnit.MILLIS),
        properties(type));
  }

  /** In a fixed order (Map.of's order changes from run to run), so output is stable. */
  private Map<String, Object> properties(EventType type) {
    Map<String, Object> properties = new LinkedHashMap<>(4);
    switch (type) {
      case LOGIN -> properties.put("method", random.nextBoolean() ? "password" : "sso");
      case LOGOUT -> properties.put("sessionSeconds", 30 + random.nextInt(3600));
      case PAGE_VIEW -> properties.put("page", pick(PAGES));
      case ADD_TO_CART -> {
        properties.put("item", pick(ITEMS));
        properties.put("quantity", 1 + random.nextInt(3));
      }
      case PURCHASE -> {
        properties.put("item", pick(ITEMS));
        properties.put("amount", BigDecimal.valueOf(499 + random.nextInt(20_000), 2));
        properties.put("currency", "EUR");
      }
      case SEARCH -> properties.put("query", pick(QUERIES));
    }
    return properties;
  }

  private String pick(String[] values) {
    return values[random.nextInt(values.length)];
  }

  /**
   * A version 4 (random) UUID; SplittableRandom is enough for ids and avoids SecureRandom's cost.
   */
  private UUID randomUuid() {
    long most = (random.nextLong() & 0xffffffffffff0fffL) | 0x0000000000004000L;
    long least = (random.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
    return new UUID(most, least);
  }
}
