package dev.kafkademo.streams;

import dev.kafkademo.events.EventType;
import dev.kafkademo.events.UserEvent;
import dev.kafkademo.streams.Results.Session;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.EmitStrategy;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.SessionWindows;
import org.apache.kafka.streams.state.SessionStore;

/**
 * Part three: sessions per user, separated by an inactivity gap, in event time. A late event that
 * falls between two sessions merges them into one (the merger adds their counts). Each session is
 * emitted once, when it has closed: stream time past its end plus the gap and the grace period.
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
  }

  static void addTo(
      KStream<String, UserEvent> events, StreamsSettings settings, Results.Listener listener) {
    events
        .groupByKey(Grouped.with("sessions-by-user", Serdes.String(), UserEventSerde.serde()))
        .windowedBy(SessionWindows.ofInactivityGapAndGrace(settings.sessionGap(), settings.grace()))
        .emitStrategy(EmitStrategy.onWindowClose())
        .aggregate(
            Stats::none,
            (user, event, stats) -> stats.add(event.eventType()),
            (user, left, right) -> left.merge(right),
            Named.as("sessions-aggregate"),
            Materialized.<String, Stats, SessionStore<Bytes, byte[]>>as(STORE)
                .withKeySerde(Serdes.String())
                .withValueSerde(JsonSerde.of(Stats.class))
                .withRetention(settings.retention()))
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
