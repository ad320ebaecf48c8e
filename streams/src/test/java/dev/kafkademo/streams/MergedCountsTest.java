package dev.kafkademo.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kafkademo.streams.CountsPerType.Partial;
import dev.kafkademo.streams.Results.WindowCount;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/**
 * The merging half of the counts per type, fed the input tasks' counts directly: a window is
 * emitted once every input partition has closed it, with the counts of all partitions added up.
 */
class MergedCountsTest {
  private static final long MINUTE = 60_000;
  private static final long T0 = Instant.parse("2026-11-30T10:00:00Z").toEpochMilli();

  @Test
  void aWindowIsEmittedWhenEveryPartitionHasClosedItWithTheirCountsAddedUp() {
    StreamsSettings settings = TopologyFixture.settings(2);
    StreamsBuilder builder = new StreamsBuilder();
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.inMemoryKeyValueStore(CountsPerType.MERGE_STORE),
            Serdes.String(),
            JsonSerde.of(CountsPerType.Counts.class)));
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.inMemoryKeyValueStore(CountsPerType.CLOSED_STORE),
            Serdes.Integer(),
            Serdes.Long()));
    builder.addStateStore(
        Stores.windowStoreBuilder(
            Stores.inMemoryWindowStore(
                CountsPerType.STORE, Duration.ofDays(1), Duration.ofMinutes(1), false),
            Serdes.String(),
            Serdes.Long()));
    builder.stream("partials", Consumed.with(Serdes.String(), JsonSerde.of(Partial.class)))
        .process(
            () -> new CountsPerType.MergedCounts(settings, Results.Listener.NONE),
            CountsPerType.MERGE_STORE,
            CountsPerType.CLOSED_STORE,
            CountsPerType.STORE)
        .to("counts", Produced.with(Serdes.String(), JsonSerde.of(WindowCount.class)));
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "merge-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");

    try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props)) {
      TestInputTopic<String, Partial> partials =
          driver.createInputTopic(
              "partials", new StringSerializer(), JsonSerde.of(Partial.class).serializer());
      TestOutputTopic<String, WindowCount> counts =
          driver.createOutputTopic(
              "counts", new StringDeserializer(), JsonSerde.of(WindowCount.class).deserializer());

      partials.pipeInput("counts", new Partial(0, T0, Map.of("login", 2L), T0 + MINUTE));
      partials.pipeInput(
          "counts", new Partial(0, T0 + MINUTE, Map.of("login", 1L), T0 + 2 * MINUTE));
      assertEquals(List.of(), counts.readValuesToList(), "partition 1 has closed nothing yet");

      partials.pipeInput(
          "counts", new Partial(1, T0, Map.of("login", 3L, "search", 1L), T0 + MINUTE));

      assertEquals(
          List.of(window(T0, "login", 5), window(T0, "search", 1)),
          counts.readValuesToList(),
          "the first window, closed everywhere; the second still open on partition 1");
      assertEquals(
          5L,
          driver
              .<String, Long>getWindowStore(CountsPerType.STORE)
              .fetch("login", Instant.ofEpochMilli(T0), Instant.ofEpochMilli(T0))
              .next()
              .value,
          "closed windows are kept for queries");

      partials.pipeInput("counts", new Partial(1, -1, Map.of(), CountsPerType.IDLE));

      assertEquals(
          List.of(window(T0 + MINUTE, "login", 1)),
          counts.readValuesToList(),
          "an idle partition with nothing open holds nothing back");

      partials.pipeInput("counts", new Partial(1, T0, Map.of("login", 7L), T0 + MINUTE));
      partials.pipeInput(
          "counts", new Partial(0, T0 + 2 * MINUTE, Map.of("login", 1L), T0 + 3 * MINUTE));

      assertEquals(
          List.of(),
          counts.readValuesToList(),
          "counts for a window already emitted are late, and partition 1 holds the third back");
    }
  }

  private static WindowCount window(long start, String type, long count) {
    return new WindowCount(
        Instant.ofEpochMilli(start).toString(),
        Instant.ofEpochMilli(start + MINUTE).toString(),
        type,
        count);
  }
}
