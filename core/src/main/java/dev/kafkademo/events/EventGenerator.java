package dev.kafkademo.events;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Makes plausible user activity: {@code users} distinct users ({@code user-1} ... {@code user-N}),
 * each following visits of their own, in time order: a login, then page views and searches, items
 * added to the cart, sometimes a purchase of an item in the cart, then a logout.
 *
 * <p>Timestamps are the time of the call by default, and which user acts next is random.
 * {@linkplain #simulated Simulated}, each user lives on a timeline of their own across a span of
 * time: the events of a visit evenly spaced, visits 35 to 90 minutes apart (longer than the usual
 * 30-minute session gap), the users' timelines merged in time order; so a short run already holds
 * windows and sessions worth analysing. The same seed gives the same events.
 */
public final class EventGenerator {
  private static final String[] PAGES = {
    "/", "/products", "/products/42", "/cart", "/help", "/account"
  };
  private static final String[] ITEMS = {
    "sku-1001", "sku-1002", "sku-2001", "sku-3001", "sku-4004"
  };
  private static final BigDecimal[] PRICES = {
    new BigDecimal("19.99"),
    new BigDecimal("49.90"),
    new BigDecimal("5.49"),
    new BigDecimal("129.00"),
    new BigDecimal("12.50")
  };
  private static final String[] QUERIES = {"running shoes", "coffee", "kafka book", "headphones"};

  /** Most users pay in euros; some in dollars, so revenue has more than one currency. */
  private static final String[] CURRENCIES = {"EUR", "EUR", "EUR", "EUR", "USD"};

  /** The fewest events of a visit: a login, three more, a logout. */
  static final int MIN_VISIT_EVENTS = 5;

  /** Visits in real time have 5 to 30 events. */
  private static final int REAL_TIME_VISIT_EVENTS = 30;

  /** How long a simulated user stays away between visits: longer than a 30-minute session gap. */
  static final Duration MIN_AWAY = Duration.ofMinutes(35);

  static final Duration MAX_AWAY = Duration.ofMinutes(90);

  /** Simulated time: at most one visit per user in this much of the span. */
  static final Duration VISIT_EVERY = Duration.ofMinutes(100);

  private final SplittableRandom random;
  private final Clock clock;
  private final Visitor[] visitors;

  /** Simulated time only: the users by the time of their next event; null in real time. */
  private final PriorityQueue<Visitor> byNextEvent;

  public EventGenerator(int users) {
    this(users, new SplittableRandom(), Clock.systemUTC());
  }

  /** Timestamps from {@code clock}, at the moment of each call; a random user acts next. */
  public EventGenerator(int users, SplittableRandom random, Clock clock) {
    this(users, random, clock, false);
  }

  private EventGenerator(int users, SplittableRandom random, Clock clock, boolean simulated) {
    if (users < 1) {
      throw new IllegalArgumentException("users must be at least 1, got " + users);
    }
    this.random = random;
    this.clock = clock;
    this.visitors = new Visitor[users];
    for (int i = 0; i < users; i++) {
      visitors[i] = new Visitor("user-" + (i + 1), CURRENCIES[random.nextInt(CURRENCIES.length)]);
    }
    this.byNextEvent = simulated ? new PriorityQueue<>(users, Visitor.BY_NEXT_EVENT) : null;
  }

  /**
   * {@code count} events between {@code end - span} and {@code end}. Each user gets an equal share,
   * split into visits 35 to 90 minutes apart (as many as fit, one per 100 minutes of the span at
   * most, at least one), the events of a visit evenly spaced so that the user's last event comes
   * just before {@code end}.
   */
  public static EventGenerator simulated(
      int users, SplittableRandom random, Instant end, Duration span, long count) {
    if (span.isNegative() || span.isZero()) {
      throw new IllegalArgumentException("the span must be longer than 0, got " + span);
    }
    EventGenerator generator = new EventGenerator(users, random, Clock.systemUTC(), true);
    Instant start = end.minus(span);
    for (int i = 0; i < users; i++) {
      long share = count / users + (i < count % users ? 1 : 0);
      if (share > 0) {
        generator.visitors[i].plan(random, start, span, share);
        generator.byNextEvent.add(generator.visitors[i]);
      }
    }
    return generator;
  }

  /**
   * The next event. In simulated time, after the {@code count} planned ones, the last user's events
   * go on past the span's end.
   */
  public UserEvent next() {
    Visitor visitor;
    Instant at;
    if (byNextEvent == null) {
      visitor = visitors[random.nextInt(visitors.length)];
      at = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    } else {
      visitor = byNextEvent.isEmpty() ? visitors[0] : byNextEvent.poll();
      at = visitor.nextAt;
    }
    EventType type = nextType(visitor);
    Map<String, Object> properties = new LinkedHashMap<>(4); // in a fixed order: stable output
    switch (type) {
      case LOGIN -> {
        visitor.login(at, visitLength(visitor));
        properties.put("method", random.nextBoolean() ? "password" : "sso");
      }
      case LOGOUT -> properties.put("sessionSeconds", visitor.logout(at));
      case PAGE_VIEW -> properties.put("page", pick(PAGES));
      case SEARCH -> properties.put("query", pick(QUERIES));
      case ADD_TO_CART -> {
        int item = random.nextInt(ITEMS.length);
        int quantity = 1 + random.nextInt(3);
        visitor.cart.add(new CartLine(item, quantity));
        properties.put("item", ITEMS[item]);
        properties.put("quantity", quantity);
      }
      case PURCHASE -> {
        CartLine line = visitor.cart.remove(random.nextInt(visitor.cart.size()));
        properties.put("item", ITEMS[line.item()]);
        properties.put("amount", PRICES[line.item()].multiply(BigDecimal.valueOf(line.quantity())));
        properties.put("currency", visitor.currency);
      }
    }
    visitor.eventsInVisit++;
    if (byNextEvent != null && visitor.scheduleNext(type == EventType.LOGOUT)) {
      byNextEvent.add(visitor);
    }
    return new UserEvent(randomUuid(), visitor.userId, type, at, properties);
  }

  /** The planned length of a simulated visit; 5 to 30 events in real time. */
  private int visitLength(Visitor visitor) {
    Integer planned = visitor.plannedVisits.poll();
    if (planned != null) {
      return planned;
    }
    return MIN_VISIT_EVENTS + random.nextInt(REAL_TIME_VISIT_EVENTS - MIN_VISIT_EVENTS + 1);
  }

  /** What is next in this visit, by weight: browsing most, buying what is in the cart sometimes. */
  private EventType nextType(Visitor visitor) {
    if (!visitor.inVisit) {
      return EventType.LOGIN;
    }
    if (visitor.eventsInVisit >= visitor.visitLength - 1) {
      return EventType.LOGOUT;
    }
    int roll = random.nextInt(100);
    if (roll < 45) {
      return EventType.PAGE_VIEW;
    }
    if (roll < 70) {
      return EventType.SEARCH;
    }
    if (roll < 88 || visitor.cart.isEmpty()) {
      return EventType.ADD_TO_CART;
    }
    return EventType.PURCHASE;
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

  /** An item in a cart and how many of it. */
  private record CartLine(int item, int quantity) {}

  /** One user: where they are in their visit, their cart, and (simulated) their plan. */
  private static final class Visitor {
    static final Comparator<Visitor> BY_NEXT_EVENT =
        Comparator.comparing((Visitor v) -> v.nextAt).thenComparing(v -> v.userId);

    final String userId;
    final String currency;
    final List<CartLine> cart = new ArrayList<>();
    boolean inVisit;
    int eventsInVisit;
    int visitLength;
    Instant visitStart;

    /** Simulated time: the visits still to come (their event counts), the gaps between them. */
    final ArrayDeque<Integer> plannedVisits = new ArrayDeque<>();

    final ArrayDeque<Duration> plannedGaps = new ArrayDeque<>();
    long stepMillis;
    long eventsLeft;
    Instant nextAt;

    Visitor(String userId, String currency) {
      this.userId = userId;
      this.currency = currency;
    }

    /**
     * Plans {@code events} events over the span: the visits, the gaps between them and an even step
     * within visits, so that the last event comes just before the span's end.
     */
    void plan(SplittableRandom random, Instant start, Duration span, long events) {
      long visits =
          Math.max(
              1, Math.min(events / MIN_VISIT_EVENTS, span.toMinutes() / VISIT_EVERY.toMinutes()));
      List<Duration> gaps = new ArrayList<>();
      Duration away = Duration.ZERO;
      for (long v = 1; v < visits; v++) {
        Duration gap = MIN_AWAY.plusMillis(random.nextLong(MAX_AWAY.minus(MIN_AWAY).toMillis()));
        gaps.add(gap);
        away = away.plus(gap);
      }
      // Arrivals are spread over the first tenth of the span, not all at once.
      Duration offset = Duration.ofMillis(random.nextLong(Math.max(1, span.toMillis() / 10)));
      Duration visiting = span.minus(away).minus(offset);
      if (visiting.compareTo(span.dividedBy(10)) < 0) {
        // The gaps would leave too little room: one visit.
        gaps.clear();
        visits = 1;
        visiting = span.minus(offset);
      }
      plannedGaps.addAll(gaps);
      long left = events;
      for (long v = visits; v > 0; v--) {
        // Each visit a share of what is left, give or take a quarter; the last one takes the rest.
        long share =
            v == 1 ? left : Math.max(MIN_VISIT_EVENTS, left / v * (3 + random.nextInt(3)) / 4);
        share = Math.min(share, left - (v - 1) * MIN_VISIT_EVENTS);
        plannedVisits.add((int) Math.min(Integer.MAX_VALUE, share));
        left -= share;
      }
      stepMillis = Math.max(1, visiting.toMillis() / events);
      eventsLeft = events;
      nextAt = start.plus(offset).truncatedTo(ChronoUnit.MILLIS);
    }

    /** After an event: when the next one comes, or false when this user's events are all out. */
    boolean scheduleNext(boolean visitEnded) {
      eventsLeft--;
      nextAt = nextAt.plusMillis(stepMillis);
      if (visitEnded && !plannedGaps.isEmpty()) {
        nextAt = nextAt.plus(plannedGaps.poll());
      }
      return eventsLeft > 0;
    }

    void login(Instant at, int length) {
      inVisit = true;
      eventsInVisit = 0;
      visitLength = length;
      visitStart = at;
      cart.clear();
    }

    /** Ends the visit; its length in whole seconds, at least 1 (an int, as JSON reads it back). */
    int logout(Instant at) {
      inVisit = false;
      long seconds = Duration.between(visitStart, at).toSeconds();
      return (int) Math.max(1, Math.min(Integer.MAX_VALUE, seconds));
    }
  }
}
