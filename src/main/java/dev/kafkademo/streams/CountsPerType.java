package dev.kafkademo.streams;

import dev.kafkademo.events.UserEvent;
import dev.kafkademo.streams.Results.WindowCount;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.EmitStrategy;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Part one: events per type per tumbling window, in event time. The events are re-keyed by type,
 * which sends them through a repartition topic, so that each type is counted in one place; each
 * window's count is emitted once, when stream time has passed its end plus the grace period. Events
 * later than that are dropped by Streams (its {@code dropped-records} metric counts them).
 */
public final class CountsPerType {
  /** The window store, queryable: type and window start to count. */
  public static final String STORE = "counts-per-type-store";

  /** Names the repartition topic: {@code <application id>-counts-by-type-repartition}. */
  public static final String REPARTITION = "counts-by-type";

  private CountsPerType() {}

  static void addTo(
      KStream<String, UserEvent> events, StreamsSettings settings, Results.Listener listener) {
    events
        .map(
            (user, event) -> KeyValue.pair(event.eventType().jsonName(), 1L),
            Named.as("counts-key-by-type"))
        .groupByKey(Grouped.with(REPARTITION, Serdes.String(), Serdes.Long()))
        .windowedBy(TimeWindows.ofSizeAndGrace(settings.window(), settings.grace()))
        .emitStrategy(EmitStrategy.onWindowClose())
        .count(
            Named.as("counts-per-type-count"),
            Materialized.<String, Long, WindowStore<Bytes, byte[]>>as(STORE)
                .withKeySerde(Serdes.String())
                .withValueSerde(Serdes.Long())
                .withRetention(settings.retention()))
        .toStream(Named.as("counts-per-type-closed"))
        .map(
            (window, count) ->
                KeyValue.pair(
                    window.key(),
                    new WindowCount(
                        window.window().startTime().toString(),
                        window.window().endTime().toString(),
                        window.key(),
                        count)),
            Named.as("counts-per-type-result"))
        .peek((type, result) -> listener.windowClosed(result), Named.as("counts-per-type-listener"))
        .to(
            settings.countsTopic(),
            Produced.with(Serdes.String(), JsonSerde.of(WindowCount.class))
                .withName("counts-per-type-sink"));
  }
}
