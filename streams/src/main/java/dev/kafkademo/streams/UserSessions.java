package dev.kafkademo.streams;

import dev.kafkademo.events.EventType;
import dev.kafkademo.events.UserEvent;
import dev.kafkademo.streams.Results.Session;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.SessionStore;
import org.apache.kafka.streams.state.Stores;

/**
 * Part three: sessions per user, separated by an inactivity gap, in event time. A late event that
 * falls between two sessions merges them into one (their counts added). Each session is emitted
 * once, when it has closed: when its end is more than the gap plus the grace period behind stream
 * time, so that no event still accepted could join it. An event whose session would already be
 * closed is dropped and counted, as Kafka Streams' own session windows do.
 *
 * <p>Why not {@code groupByKey().windowedBy(SessionWindows...).aggregate(...).suppress(...)}: every
 * event moves its session's end, so Streams' session store removes the old session and writes the
 * new one, both to its changelog, and the suppression buffer logs it again: several records
 * produced per input event, and a million events took 24-28 s where this takes a few. Here a user's
 * open sessions are one entry of a cached key-value store (written to its changelog once per
 * commit, not per event), and a session goes to the queryable session store once, when it closes.
 */
public final class UserSessions {
  /** Closed sessions, queryable: a user's past visits with their counts. */
  public static final String STORE = "sessions-store";

  /** Per user, the sessions not closed yet. Queryable too: they are the visits going on. */
  public static final String OPEN_STORE = "sessions-open-store";

  private UserSessions() {}

  /** What a session holds so far. */
  public record Stats(long events, long pageViews, long addToCart, long purchases) {
    static Stats of(EventType type) {
      return new Stats(
          1,
          type == EventType.PAGE_VIEW ? 1 : 0,
          type == EventType.ADD_TO_CART ? 1 : 0,
          type == EventType.PURCHASE ? 1 : 0);
    }

    Stats merge(Stats other) {
      return new Stats(
          events + other.events,
          pageViews + other.pageViews,
          addToCart + other.addToCart,
          purchases + other.purchases);
    }

    public Session session(String userId, String start, String end) {
      return new Session(
          userId, start, end, events, pageViews, addToCart, purchases, purchases > 0);
    }

    void writeTo(ByteBuffer buffer) {
      buffer.putLong(events).putLong(pageViews).putLong(addToCart).putLong(purchases);
    }

    static Stats readFrom(ByteBuffer buffer) {
      return new Stats(buffer.getLong(), buffer.getLong(), buffer.getLong(), buffer.getLong());
    }

    /** Four longs, not JSON. */
    static Serde<Stats> serde() {
      return Serdes.serdeFrom(
          (topic, stats) -> {
            if (stats == null) {
              return null;
            }
            ByteBuffer buffer = ByteBuffer.allocate(32);
            stats.writeTo(buffer);
            return buffer.array();
          },
          (topic, bytes) -> bytes == null ? null : readFrom(ByteBuffer.wrap(bytes)));
    }
  }

  /** A session not closed yet: its first and last event's time and what it holds. */
  public record Open(long start, long end, Stats stats) {
    public Session session(String userId) {
      return stats.session(
          userId, Instant.ofEpochMilli(start).toString(), Instant.ofEpochMilli(end).toString());
    }
  }

  /** A user's open sessions, in time order, as the open store keeps them: binary, not JSON. */
  static Serde<List<Open>> openSerde() {
    return Serdes.serdeFrom(
        (topic, sessions) -> {
          if (sessions == null) {
            return null;
          }
          ByteBuffer buffer = ByteBuffer.allocate(4 + sessions.size() * 48);
          buffer.putInt(sessions.size());
          for (Open session : sessions) {
            buffer.putLong(session.start).putLong(session.end);
            session.stats.writeTo(buffer);
          }
          return buffer.array();
        },
        (topic, bytes) -> {
          if (bytes == null) {
            return null;
          }
          ByteBuffer buffer = ByteBuffer.wrap(bytes);
          List<Open> sessions = new ArrayList<>(buffer.getInt());
          while (buffer.hasRemaining()) {
            sessions.add(new Open(buffer.getLong(), buffer.getLong(), Stats.readFrom(buffer)));
          }
          return sessions;
        });
  }

  static void addTo(
      StreamsBuilder builder,
      KStream<String, UserEvent> events,
      StreamsSettings settings,
      Results.Listener listener) {
    // Cached: an event rewrites its user's entry in memory; the changelog gets the latest entry
    // of each user once per commit.
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(OPEN_STORE), Serdes.String(), openSerde())
            .withCachingEnabled());
    builder.addStateStore(
        Stores.sessionStoreBuilder(
            Stores.persistentSessionStore(STORE, settings.retention()),
            Serdes.String(),
            Stats.serde()));
    events
        .process(
            () -> new Sessions(settings, listener),
            Named.as("sessions-per-user"),
            OPEN_STORE,
            STORE)
        .to(
            settings.sessionsTopic(),
            Produced.with(Serdes.String(), JsonSerde.of(Session.class)).withName("sessions-sink"));
  }

  /** Keeps each user's open sessions; emits and stores a session once it has closed. */
  static final class Sessions implements Processor<String, UserEvent, String, Session> {
    /** A user to look at when stream time has passed {@code end} by the gap and grace period. */
    private record Due(long end, String user) {}

    private final long gap;
    private final long grace;
    private final Results.Listener listener;
    private ProcessorContext<String, Session> context;
    private KeyValueStore<String, List<Open>> open;
    private SessionStore<String, Stats> closed;

    /** The open store's entries, as objects: read once at start, then kept in step with it. */
    private final Map<String, List<Open>> openByUser = new HashMap<>();

    /**
     * Users by the earliest end of their open sessions, at most that: a user's sessions only grow,
     * so an entry can be early (the user is looked at, found open, and queued again), never late.
     */
    private final PriorityQueue<Due> due =
        new PriorityQueue<>((a, b) -> Long.compare(a.end, b.end));

    /** Per user in {@link #due}, the earliest end queued; a new, earlier session queues again. */
    private final Map<String, Long> queuedAt = new HashMap<>();

    Sessions(StreamsSettings settings, Results.Listener listener) {
      this.gap = settings.sessionGap().toMillis();
      this.grace = settings.grace().toMillis();
      this.listener = listener;
    }

    @Override
    public void init(ProcessorContext<String, Session> context) {
      this.context = context;
      this.open = context.getStateStore(OPEN_STORE);
      this.closed = context.getStateStore(STORE);
      // Streams may init this same processor again after a failed transaction (task revived): what
      // it held in memory then is not what the restored store holds. Start from the store.
      openByUser.clear();
      due.clear();
      queuedAt.clear();
      try (KeyValueIterator<String, List<Open>> users = open.all()) {
        while (users.hasNext()) {
          KeyValue<String, List<Open>> user = users.next();
          openByUser.put(user.key, new ArrayList<>(user.value));
          queue(user.key, user.value.get(0).end);
        }
      }
    }

    /** Sessions that end before this are closed: no event still accepted can join them. */
    private long closedBefore() {
      return context.currentStreamTimeMs() - grace - gap;
    }

    @Override
    public void process(Record<String, UserEvent> record) {
      String user = record.key();
      if (user == null) {
        user = record.value().userId();
      }
      long time = record.timestamp();
      List<Open> sessions = openByUser.computeIfAbsent(user, u -> new ArrayList<>(2));
      long start = time;
      long end = time;
      Stats stats = Stats.of(record.value().eventType());
      // The sessions within the gap of this event, which it joins into one: sessions are in time
      // order, more than the gap apart, so they are the ones from index `from` to `to` (excluded).
      int from = 0;
      while (from < sessions.size() && sessions.get(from).end + gap < time) {
        from++;
      }
      int to = from;
      while (to < sessions.size() && sessions.get(to).start - gap <= time) {
        Open joined = sessions.get(to++);
        start = Math.min(start, joined.start);
        end = Math.max(end, joined.end);
        stats = stats.merge(joined.stats);
      }
      if (end < closedBefore()) {
        listener.lateForSessions(1); // its session would have closed: too late to count
      } else {
        sessions.subList(from, to).clear();
        sessions.add(from, new Open(start, end, stats));
        open.put(user, sessions);
        if (from == 0) {
          queue(user, end);
        }
      }
      if (sessions.isEmpty()) {
        openByUser.remove(user);
      }
      emitClosed(record);
    }

    private void queue(String user, long end) {
      Long queued = queuedAt.get(user);
      if (queued == null || end < queued) {
        queuedAt.put(user, end);
        due.add(new Due(end, user));
      }
    }

    /** Emits, stores and forgets every session that has closed, oldest first. */
    private void emitClosed(Record<String, UserEvent> record) {
      long before = closedBefore();
      while (!due.isEmpty() && due.peek().end < before) {
        Due next = due.poll();
        Long queued = queuedAt.get(next.user);
        if (queued == null || queued != next.end) {
          continue; // an earlier entry of this user was handled already
        }
        queuedAt.remove(next.user);
        List<Open> sessions = openByUser.get(next.user);
        while (!sessions.isEmpty() && sessions.get(0).end < before) {
          Open session = sessions.remove(0);
          closed.put(SessionKeys.of(next.user, session.start, session.end), session.stats);
          Session result = session.session(next.user);
          listener.sessionClosed(result);
          context.forward(record.withKey(next.user).withValue(result).withTimestamp(session.end));
        }
        if (sessions.isEmpty()) {
          openByUser.remove(next.user);
          open.delete(next.user);
        } else {
          open.put(next.user, sessions);
          queue(next.user, sessions.get(0).end);
        }
      }
    }
  }
}
