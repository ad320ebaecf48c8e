package dev.kafkademo.streams;

import com.fasterxml.jackson.databind.ObjectReader;
import dev.kafkademo.events.EventJson;
import dev.kafkademo.events.EventType;
import dev.kafkademo.events.UserEvent;
import dev.kafkademo.kafka.InvalidRecordPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * The whole topology in a TopologyTestDriver: events piped in with explicit timestamps, results
 * read from the output topics as a consumer of them would.
 */
final class TopologyFixture implements AutoCloseable {
  static final String INPUT = "user-events";
  static final String DLQ = "user-events.dlq";
  static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");

  final StreamsSettings settings = settings(1);
  final TopologyTestDriver driver;
  final TestInputTopic<String, byte[]> input;
  final List<String> invalid = new ArrayList<>();
  final AtomicLong eventsRead = new AtomicLong();
  final AtomicLong lateForCounts = new AtomicLong();
  final AtomicLong lateForSessions = new AtomicLong();

  TopologyFixture() {
    this(InvalidRecordPolicy.SKIP);
  }

  /** The command's defaults (1-minute windows, 10 s grace, 30-minute sessions) over the input. */
  static StreamsSettings settings(int inputPartitions) {
    return new StreamsSettings(
        INPUT,
        inputPartitions,
        Duration.ofMinutes(1),
        Duration.ofSeconds(10),
        Duration.ofMinutes(30));
  }

  /**
   * An input task's store of partial counts, in memory, in a processor's mock context (as a task
   * gives it a fresh one: nothing committed).
   */
  static void addPartialStore(
      org.apache.kafka.streams.processor.api.MockProcessorContext<?, ?> context) {
    org.apache.kafka.streams.state.KeyValueStore<String, Long> store =
        org.apache.kafka.streams.state.Stores.keyValueStoreBuilder(
                org.apache.kafka.streams.state.Stores.inMemoryKeyValueStore(
                    CountsPerType.PARTIAL_STORE),
                org.apache.kafka.common.serialization.Serdes.String(),
                org.apache.kafka.common.serialization.Serdes.Long())
            .withLoggingDisabled()
            .build();
    store.init(context.getStateStoreContext(), store);
    context.addStateStore(store);
  }

  TopologyFixture(InvalidRecordPolicy onInvalid) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "topology-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(
        StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
        InvalidEventsHandler.class.getName());
    props.put(
        InvalidEventsHandler.CONFIG,
        new InvalidEventsHandler.Policy(
            onInvalid,
            DLQ,
            (record, reason, action) ->
                invalid.add(record.topic() + "@" + record.offset() + ": " + reason)));
    driver =
        new TopologyTestDriver(
            UserEventsTopology.build(
                settings,
                new Results.Listener() {
                  @Override
                  public void windowClosed(Results.WindowCount count) {}

                  @Override
                  public void revenueChanged(Results.Revenue revenue) {}

                  @Override
                  public void sessionClosed(Results.Session session) {}

                  @Override
                  public void lateForCounts(long count) {
                    TopologyFixture.this.lateForCounts.addAndGet(count);
                  }

                  @Override
                  public void lateForSessions(long count) {
                    TopologyFixture.this.lateForSessions.addAndGet(count);
                  }
                },
                eventsRead::incrementAndGet),
            props);
    input = driver.createInputTopic(INPUT, new StringSerializer(), new ByteArraySerializer());
  }

  /**
   * An event of {@code user} at {@code secondsAfterT0}, piped in with that record timestamp too.
   */
  void send(String user, EventType type, long secondsAfterT0, Object... properties) {
    Instant at = T0.plusSeconds(secondsAfterT0);
    Map<String, Object> props = new LinkedHashMap<>();
    for (int i = 0; i < properties.length; i += 2) {
      props.put((String) properties[i], properties[i + 1]);
    }
    input.pipeInput(
        user, EventJson.toBytes(new UserEvent(UUID.randomUUID(), user, type, at, props)), at);
  }

  /** A purchase of {@code amount} in {@code currency}. */
  void buy(String user, long secondsAfterT0, String amount, String currency) {
    send(
        user,
        EventType.PURCHASE,
        secondsAfterT0,
        "item",
        "sku-1",
        "amount",
        new BigDecimal(amount),
        "currency",
        currency);
  }

  /** The results on an output topic so far, read once. */
  <T> List<T> results(String topic, Class<T> type) {
    TestOutputTopic<String, String> output =
        driver.createOutputTopic(topic, new StringDeserializer(), new StringDeserializer());
    ObjectReader reader = EventJson.mapper().readerFor(type);
    List<T> results = new ArrayList<>();
    for (String value : output.readValuesToList()) {
      try {
        results.add(reader.readValue(value));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return results;
  }

  TestOutputTopic<byte[], byte[]> deadLetters() {
    return driver.createOutputTopic(DLQ, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  @Override
  public void close() {
    driver.close();
  }
}
