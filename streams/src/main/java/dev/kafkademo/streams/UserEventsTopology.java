package dev.kafkademo.streams;

import dev.kafkademo.events.UserEvent;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;

/**
 * The application: user events in, three results out (counts per type per window, revenue per user,
 * sessions per user). Every processor, store and internal topic has a name of its own, so that the
 * topology's description and its internal topics read like the code.
 */
public final class UserEventsTopology {
  private UserEventsTopology() {}

  /**
   * @param eventRead called for every valid event read, on a stream thread
   */
  public static Topology build(
      StreamsSettings settings, Results.Listener listener, Runnable eventRead) {
    return build(settings, listener, eventRead, new InputLag());
  }

  /**
   * @param inputLag how far behind the input partitions are, once the application runs (unknown in
   *     tests, where no partition is ever reported idle)
   */
  static Topology build(
      StreamsSettings settings, Results.Listener listener, Runnable eventRead, InputLag inputLag) {
    StreamsBuilder builder = new StreamsBuilder();
    KStream<String, UserEvent> events =
        builder.stream(
                settings.inputTopic(),
                Consumed.with(Serdes.String(), UserEventSerde.serde())
                    .withTimestampExtractor(new EventTimeExtractor())
                    .withName("user-events-source"))
            .peek((user, event) -> eventRead.run(), Named.as("user-events-read"));
    CountsPerType.addTo(builder, events, settings, listener, inputLag);
    RevenuePerUser.addTo(events, settings, listener);
    UserSessions.addTo(builder, events, settings, listener);
    return builder.build();
  }
}
