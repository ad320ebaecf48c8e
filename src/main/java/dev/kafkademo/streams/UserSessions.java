package dev.kafkademo.streams;

import dev.kafkademo.events.EventType;
import dev.kafkademo.events.UserEvent;
import dev.kafkademo.streams.Results.Session;
import java.nio.ByteBuffer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.SessionWindows;
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.state.Stores;

/**
 * Part three: sessions per user, separated by an inactivity gap, in event time. A late event that
 * falls between two sessions merges them into one (the merger adds their counts). Each session is
 * emitted once, when it has closed: stream time past its end plus the gap and the grace period.
 * (Suppression, not the emit-on-close strategy: that one's time-ordered store is rewritten on every
 * event of a session and slowed to a few hundred events a second on a long backlog.)
 */
public final class UserSessions {
  /** The session store, queryable: a user's sessions with their counts. */
  public static final String STORE = "sessions-store";

  private UserSessions() {}

  /** What a session holds so far. */
  public record Stats(long events, long pageViews, long addToCart, long purchases) {
    static Stats none() {
      return new Stats(0, 0, 0, 0);
    }

    Stats add(EventType type) {
      return new Stats(
          events + 1,
          pageViews + (type == EventType.PAGE_VIEW ? 1 : 0),
          addToCart + (type == EventType.ADD_TO_CART ? 1 : 0),
          purchases + (type == EventType.PURCHASE ? 1 : 0));
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

    /**
     * Four longs, not JSON: every event rewrites its session in the store's changelog and in the
     * suppression buffer, so this is written several times per event.
     */
    static Serde<Stats> serde() {
      return Serdes.serdeFrom(
          (topic, stats) ->
              stats == null
                  ? null
                  : ByteBuffer.allocate(32)
                      .putLong(stats.events)
                      .putLong(stats.pageViews)
                      .putLong(stats.addToCart)
                      .putLong(stats.purchases)
                      .array(),
          (topic, bytes) -> {
            if (bytes == null) {
              return null;
            }
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            return new Stats(
                buffer.getLong(), buffer.getLong(), buffer.getLong(), buffer.getLong());
          });
    }
  }

  static void addTo(
      KStream<String, UserEvent> events, StreamsSettings settings, Results.Listener listener) {
    events
        .groupByKey(Grouped.with("sessions-by-user", Serdes.String(), UserEventSerde.serde()))
        .windowedBy(SessionWindows.ofInactivityGapAndGrace(settings.sessionGap(), settings.grace()))
        .aggregate(
            Stats::none,
            (user, event, stats) -> stats.add(event.eventType()),
            (user, left, right) -> left.merge(right),
            Named.as("sessions-aggregate"),
            // In memory, uncached: every event rewrites its session (its end moves), and a
            // persistent or cached store keeps each old version as a tombstone that the next
            // event's session lookup must step over, some thousand per event in a long visit.
            // Still fault-tolerant: the store is restored from its changelog topic.
            Materialized.<String, Stats>as(Stores.inMemorySessionStore(STORE, settings.retention()))
                .withKeySerde(Serdes.String())
                .withValueSerde(Stats.serde())
                .withCachingDisabled())
        // Final results only: updates wait in a buffer (kept in a changelog) until the session has
        // closed.
        .suppress(
            Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded())
                .withName("sessions-until-closed"))
        .toStream(Named.as("sessions-closed"))
        .filter((session, stats) -> stats != null, Named.as("sessions-not-merged-away"))
        .map(
            (session, stats) ->
                KeyValue.pair(
                    session.key(),
                    stats.session(
                        session.key(),
                        session.window().startTime().toString(),
                        session.window().endTime().toString())),
            Named.as("sessions-result"))
        .peek((user, session) -> listener.sessionClosed(session), Named.as("sessions-listener"))
        .to(
            settings.sessionsTopic(),
            Produced.with(Serdes.String(), JsonSerde.of(Session.class)).withName("sessions-sink"));
  }
}
