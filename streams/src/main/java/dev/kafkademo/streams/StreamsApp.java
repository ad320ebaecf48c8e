package dev.kafkademo.streams;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;

/**
 * The user-events application as a running Kafka Streams client: its configuration, its state as it
 * changes, and what it counted. Stops by itself (state ERROR) when a stream thread fails, for
 * example on an invalid record with the fail policy.
 */
public final class StreamsApp implements AutoCloseable {
  /** How the application runs. */
  public record Options(
      String applicationId,
      StreamsSettings settings,
      Path stateDir,
      boolean exactlyOnce,
      InvalidEventsHandler.Policy invalidEvents,
      String applicationServer) {}

  /** Told about state changes; called on a Streams thread. */
  public interface StateListener {
    void changed(KafkaStreams.State from, KafkaStreams.State to);
  }

  private final KafkaStreams streams;
  private final List<String> repartitionTopics;
  private final AtomicLong eventsRead = new AtomicLong();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final CountDownLatch stopped = new CountDownLatch(1);

  public StreamsApp(
      Properties clientProperties,
      Options options,
      Results.Listener results,
      StateListener states) {
    InputLag inputLag = new InputLag();
    Topology topology =
        UserEventsTopology.build(
            options.settings(), results, eventsRead::incrementAndGet, inputLag);
    repartitionTopics = repartitionTopics(topology, options.applicationId());
    streams = new KafkaStreams(topology, properties(clientProperties, options));
    inputLag.of(streams);
    streams.setStateListener(
        (to, from) -> {
          states.changed(from, to);
          if (to == KafkaStreams.State.ERROR
              || to == KafkaStreams.State.NOT_RUNNING
              || to == KafkaStreams.State.PENDING_ERROR) {
            stopped.countDown();
          }
        });
    streams.setUncaughtExceptionHandler(
        error -> {
          failure.compareAndSet(null, error);
          return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
  }

  /** The internal topics the topology reads back, named as Streams names them. */
  static List<String> repartitionTopics(Topology topology, String applicationId) {
    List<String> topics = new ArrayList<>();
    for (TopologyDescription.Subtopology part : topology.describe().subtopologies()) {
      for (TopologyDescription.Node node : part.nodes()) {
        if (node instanceof TopologyDescription.Source source && source.topicSet() != null) {
          source.topicSet().stream()
              .filter(topic -> topic.endsWith("-repartition"))
              .forEach(topic -> topics.add(applicationId + "-" + topic));
        }
      }
    }
    return List.copyOf(topics);
  }

  /** The application's settings, on top of the command's client settings. */
  static Properties properties(Properties clientProperties, Options options) {
    Properties props = new Properties();
    props.putAll(clientProperties);
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, options.applicationId());
    props.put(StreamsConfig.STATE_DIR_CONFIG, options.stateDir().toString());
    props.put(
        StreamsConfig.PROCESSING_GUARANTEE_CONFIG,
        options.exactlyOnce() ? StreamsConfig.EXACTLY_ONCE_V2 : StreamsConfig.AT_LEAST_ONCE);
    if (!options.exactlyOnce()) {
      // Offsets (and the group's lag) move every second instead of every 30 s.
      props.putIfAbsent(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "1000");
    }
    props.put(
        StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
        InvalidEventsHandler.class.getName());
    props.put(InvalidEventsHandler.CONFIG, options.invalidEvents());
    if (options.applicationServer() != null) {
      props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, options.applicationServer());
    }
    props.remove(CommonClientConfigs.CLIENT_ID_CONFIG); // Streams names its clients itself
    return props;
  }

  /** Deletes the application's local state; before {@link #start}. */
  public void deleteLocalState() {
    streams.cleanUp();
  }

  public void start() {
    streams.start();
  }

  public KafkaStreams streams() {
    return streams;
  }

  /** The application's repartition topics, by their full names. */
  public List<String> repartitionTopics() {
    return repartitionTopics;
  }

  /** Waits until the application stopped by itself (an error) or {@code timeout} passed. */
  public boolean awaitStopped(Duration timeout) throws InterruptedException {
    return stopped.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  /** What stopped a stream thread, or null. */
  public Throwable failure() {
    return failure.get();
  }

  public long eventsRead() {
    return eventsRead.get();
  }

  /**
   * Flushes the state, commits the offsets of what was processed and leaves the group, so that a
   * restart is assigned its partitions at once instead of after this member's session timeout.
   *
   * @return false when the application had not stopped within {@code timeout}
   */
  public boolean close(Duration timeout) {
    return streams.close(
        CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
            .withTimeout(timeout));
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(60));
  }
}
