package dev.kafkademo.cli;

import dev.kafkademo.Defaults;
import dev.kafkademo.events.EventGenerator;
import dev.kafkademo.events.EventJson;
import dev.kafkademo.events.UserEvent;
import dev.kafkademo.kafka.ClientDefaults;
import dev.kafkademo.kafka.ClientMetrics;
import dev.kafkademo.kafka.admin.BrokerConnection;
import dev.kafkademo.kafka.produce.EventPublisher;
import dev.kafkademo.kafka.produce.OutgoingEvent;
import dev.kafkademo.kafka.produce.PublishResult;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
    name = "producer",
    sortOptions = false,
    mixinStandardHelpOptions = true,
    description = {
      "Send JSON user-events to a topic, keyed by user id, and show each delivery confirmation.",
      "Confirmations go to stdout; progress and the summary to stderr."
    })
public final class ProducerCommand implements Callable<Integer> {
  private static final Set<String> ACKS = Set.of("all", "-1", "0", "1");
  private static final Set<String> COMPRESSION = Set.of("none", "gzip", "snappy", "lz4", "zstd");

  @Spec CommandSpec spec;

  @Mixin ConnectionOptions connection;

  @Option(
      names = {"-t", "--topic"},
      paramLabel = "TOPIC",
      defaultValue = Defaults.TOPIC,
      description = "Topic to send to (default: ${DEFAULT-VALUE}).")
  String topic;

  @Option(
      names = {"-n", "--count"},
      paramLabel = "N",
      defaultValue = "10",
      description = "How many events to generate (default: ${DEFAULT-VALUE}).")
  long count;

  @Option(
      names = "--users",
      paramLabel = "N",
      defaultValue = "5",
      description = "Distinct users in generated events (default: ${DEFAULT-VALUE}).")
  int users;

  @Option(
      names = "--rate",
      paramLabel = "EVENTS/S",
      defaultValue = "0",
      description = "Events per second; 0 sends as fast as possible (default).")
  double rate;

  @Option(
      names = "--input",
      paramLabel = "FILE|-",
      description =
          "Send the events in this file (one JSON event per line; - reads stdin) instead of generated ones.")
  String input;

  @Option(
      names = "--on-invalid",
      paramLabel = "skip|fail",
      defaultValue = "skip",
      description =
          "An --input line that is not a valid event: skip reports it and sends the rest (default); fail stops there. Either way the exit code is 1.")
  String onInvalid;

  @Option(
      names = "--acks",
      paramLabel = "all|1|0",
      description = "Acknowledgements to wait for (default: all).")
  String acks;

  @Option(
      names = "--compression",
      paramLabel = "none|gzip|snappy|lz4|zstd",
      description = "Batch compression (default: none).")
  String compression;

  @Option(
      names = "--linger-ms",
      paramLabel = "MS",
      description = "How long to wait to fill a batch (default: " + ClientDefaults.LINGER_MS + ").")
  Integer lingerMs;

  @Option(
      names = "--batch-size",
      paramLabel = "BYTES",
      description = "Largest batch per partition (default: " + ClientDefaults.BATCH_SIZE + ").")
  Integer batchSize;

  @Option(
      names = "--stats",
      paramLabel = "SECONDS",
      defaultValue = "0",
      description =
          "Every SECONDS, one line on stderr: send rate and bytes from the client's metrics, acknowledgement latency percentiles.")
  int statsSeconds;

  @Option(
      names = {"-q", "--quiet"},
      description = "Do not print a confirmation per event; the summary still goes to stderr.")
  boolean quiet;

  @Override
  public Integer call() {
    validate();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Properties props =
        ClientDefaults.finishProducer(
            connection.clientProperties(ClientDefaults.producer(connection.timeout()), flags()),
            connection.overrides.containsKey(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG));

    try (InputStream inputStream = openInput()) {
      InputFileEvents fromInput =
          inputStream == null
              ? null
              : new InputFileEvents(
                  inputStream,
                  inputName(),
                  (line, reason) -> {
                    err.println("rejected " + inputName() + " line " + line + ": " + reason);
                    return onInvalid.equals("skip");
                  });
      Iterator<OutgoingEvent> events = fromInput != null ? fromInput : generated();

      new ProducerConfig(props); // bad -X or --command-config values fail here, before any network
      prepareTopic(props, err);
      PublishResult result;
      try (ShutdownSignal stop = ShutdownSignal.install(() -> {});
          KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
        EventPublisher publisher =
            new EventPublisher(producer, topic, new Confirmations(out, quiet));
        try (ProgressTicker progress =
                ProgressTicker.everySecond(new ProgressLine(err, publisher));
            ProgressTicker stats =
                ProgressTicker.every(statsSeconds, () -> statsLine(err, producer, publisher))) {
          result = publisher.publish(events, rate, stop::requested);
        }
        out.flush();
        if (fromInput != null && fromInput.nonBlankLines() == 0) {
          throw new CliException(
              "Nothing sent: " + inputName() + " holds no events (it is empty or blank)");
        }
        summarize(err, result, fromInput);
      }
      boolean rejectedLines = fromInput != null && fromInput.rejectedCount() > 0;
      return result.allAcknowledged() && !rejectedLines ? ExitCodes.OK : ExitCodes.FAILURE;
    } catch (IOException e) {
      throw new CliException(
          "Cannot read " + inputName() + ": " + e.getMessage(), ExitCodes.FAILURE, e);
    }
  }

  /**
   * Checks the broker answers, and creates a missing topic where the broker would on first write.
   */
  private void prepareTopic(Properties props, PrintWriter err) {
    try (BrokerConnection cluster = BrokerConnection.open(props, connection.timeout())) {
      if (cluster.topicExists(topic)) {
        return;
      }
      int partitions =
          cluster
              .createLikeAutoCreation(topic)
              .orElseThrow(
                  () ->
                      new CliException(
                          "Topic "
                              + topic
                              + " does not exist and the broker does not create topics automatically:"
                              + " create it first (kafka-topics --create --topic "
                              + topic
                              + ") or check --topic"));
      err.println(
          "Created topic " + topic + " with " + partitions + " partitions (the broker's defaults)");
    }
  }

  private void validate() {
    if (count < 1) {
      throw new ParameterException(spec.commandLine(), "--count must be at least 1, got " + count);
    }
    if (users < 1) {
      throw new ParameterException(spec.commandLine(), "--users must be at least 1, got " + users);
    }
    if (rate < 0) {
      throw new ParameterException(
          spec.commandLine(), "--rate must be 0 (no limit) or more, got " + rate);
    }
    if (acks != null && !ACKS.contains(acks)) {
      throw new ParameterException(
          spec.commandLine(), "--acks must be all, 1 or 0, got '" + acks + "'");
    }
    if (compression != null && !COMPRESSION.contains(compression)) {
      throw new ParameterException(
          spec.commandLine(),
          "--compression must be one of none, gzip, snappy, lz4, zstd, got '" + compression + "'");
    }
    if (!onInvalid.equals("skip") && !onInvalid.equals("fail")) {
      throw new ParameterException(
          spec.commandLine(), "--on-invalid must be skip or fail, got '" + onInvalid + "'");
    }
    if (input != null && (matched("--count") || matched("--users"))) {
      throw new ParameterException(
          spec.commandLine(),
          "--count and --users are for generated events; leave them out with --input");
    }
  }

  private boolean matched(String option) {
    return spec.commandLine().getParseResult().hasMatchedOption(option);
  }

  private Map<String, String> flags() {
    Map<String, String> flags = new HashMap<>();
    if (acks != null) {
      flags.put(ProducerConfig.ACKS_CONFIG, acks);
    }
    if (compression != null) {
      flags.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
    }
    if (lingerMs != null) {
      flags.put(ProducerConfig.LINGER_MS_CONFIG, String.valueOf(lingerMs));
    }
    if (batchSize != null) {
      flags.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(batchSize));
    }
    return flags;
  }

  private InputStream openInput() {
    if (input == null) {
      return null;
    }
    if (input.equals("-")) {
      return new BufferedInputStream(System.in);
    }
    try {
      return new BufferedInputStream(Files.newInputStream(Path.of(input)));
    } catch (NoSuchFileException e) {
      throw CliException.badInput("Cannot read --input " + input + ": no such file", e);
    } catch (IOException e) {
      throw CliException.badInput("Cannot read --input " + input + ": " + e.getMessage(), e);
    }
  }

  private String inputName() {
    return "-".equals(input) ? "stdin" : input;
  }

  private Iterator<OutgoingEvent> generated() {
    EventGenerator generator = new EventGenerator(users);
    EventJson.Writer writer = new EventJson.Writer();
    return new Iterator<>() {
      private long made;

      @Override
      public boolean hasNext() {
        return made < count;
      }

      @Override
      public OutgoingEvent next() {
        made++;
        UserEvent event = generator.next();
        return new OutgoingEvent(event.userId(), event.eventType(), writer.toBytes(event));
      }
    };
  }

  /** --stats: the client's own send and byte rates, and our latency percentiles since last time. */
  private static void statsLine(
      PrintWriter err, KafkaProducer<byte[], byte[]> producer, EventPublisher publisher) {
    var metrics = producer.metrics();
    Histogram latency = publisher.latencySinceLastCall();
    err.printf(
        Locale.ROOT,
        "stats: %s, %.2f MB/s, ack latency p50 %s, p99 %s, max %s%n",
        Report.rate(ClientMetrics.value(metrics, "producer-metrics", "record-send-rate")),
        ClientMetrics.value(metrics, "producer-metrics", "outgoing-byte-rate") / 1e6,
        Report.millis(latency.getValueAtPercentile(50)),
        Report.millis(latency.getValueAtPercentile(99)),
        Report.millis(latency.getMaxValue()));
  }

  /** Once a second on stderr: counts so far and the acknowledgement rate of the last second. */
  private static final class ProgressLine implements Runnable {
    private final PrintWriter err;
    private final EventPublisher publisher;
    private long lastAcknowledged;
    private long lastNanos = System.nanoTime();

    ProgressLine(PrintWriter err, EventPublisher publisher) {
      this.err = err;
      this.publisher = publisher;
    }

    @Override
    public void run() {
      long now = System.nanoTime();
      long acknowledged = publisher.acknowledgedSoFar();
      double rate = (acknowledged - lastAcknowledged) / ((now - lastNanos) / 1e9);
      lastAcknowledged = acknowledged;
      lastNanos = now;
      err.printf(
          Locale.ROOT,
          "... sent %,d, acknowledged %,d, failed %,d (%s)%n",
          publisher.sentSoFar(),
          acknowledged,
          publisher.failedSoFar(),
          Report.rate(rate));
    }
  }

  private void summarize(PrintWriter err, PublishResult result, InputFileEvents fromInput) {
    long rejectedLines = fromInput == null ? 0 : fromInput.rejectedCount();
    err.printf(
        Locale.ROOT,
        "%s %,d events to %s: %,d acknowledged, %,d failed, in %s (%s, %.1f MB/s)%n",
        switch (result.stop()) {
          case COMPLETED -> "Sent";
          case REQUESTED -> "Stopped early: sent";
          case FAILURE -> "Stopped at the first failure: sent";
        },
        result.sent(),
        topic,
        result.acknowledged(),
        result.failed(),
        Report.seconds(result.elapsed()),
        Report.rate(result.eventsPerSecond()),
        result.megabytesPerSecond());
    Histogram latency = result.ackLatencyMicros();
    if (latency.getTotalCount() > 0) {
      err.printf(
          "Acknowledgement latency: p50 %s, p99 %s, max %s%n",
          Report.millis(latency.getValueAtPercentile(50)),
          Report.millis(latency.getValueAtPercentile(99)),
          Report.millis(latency.getMaxValue()));
    }
    result
        .failureReasons()
        .forEach(
            (reason, n) ->
                err.printf(Locale.ROOT, "failed: %,d x %s%s%n", n, reason, hint(reason)));
    if (rejectedLines > 0) {
      err.printf(
          Locale.ROOT,
          "Rejected %,d input lines that are not valid events (see above); they were not sent%s%n",
          rejectedLines,
          fromInput.stoppedEarly() ? ", nor anything after the first (--on-invalid fail)" : "");
    }
    if (!result.allAcknowledged()) {
      err.printf(
          Locale.ROOT,
          "error: %,d of %,d events were not acknowledged. Check that the broker is up and the topic exists.%n",
          result.sent() - result.acknowledged(),
          result.sent());
    }
  }

  /** What to check for the failures users meet; the reason starts with the exception's name. */
  private static String hint(String reason) {
    if (reason.startsWith("RecordTooLargeException")) {
      return " -> the event is larger than the topic's max.message.bytes or the producer's"
          + " max.request.size";
    }
    if (reason.contains("AuthorizationException")) {
      return " -> this user may not write to the topic: check its ACLs";
    }
    if (reason.startsWith("NotEnoughReplicas")) {
      return " -> fewer replicas in sync than min.insync.replicas: are brokers down?";
    }
    if (reason.startsWith("TimeoutException")) {
      return " -> the broker did not acknowledge in time: is it up and reachable?";
    }
    return "";
  }

  /** Prints one line per acknowledged event: where it landed and what it was. */
  private static final class Confirmations implements EventPublisher.DeliveryListener {
    private final PrintWriter out;
    private final boolean quiet;

    Confirmations(PrintWriter out, boolean quiet) {
      this.out = out;
      this.quiet = quiet;
    }

    @Override
    public void delivered(OutgoingEvent event, RecordMetadata metadata, long latencyMicros) {
      if (quiet) {
        return;
      }
      out.println(
          "delivered "
              + metadata.topic()
              + "-"
              + metadata.partition()
              + "@"
              + metadata.offset()
              + " key="
              + event.userId()
              + " type="
              + event.eventType().jsonName()
              + " ("
              + Report.millis(latencyMicros)
              + ")");
      out.flush();
    }
  }
}
