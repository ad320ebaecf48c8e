package dev.kafkademo.cli.commands;

import dev.kafkademo.cli.CliException;
import dev.kafkademo.cli.ExitCodes;
import dev.kafkademo.cli.ShutdownSignal;
import dev.kafkademo.cli.options.ClientKind;
import dev.kafkademo.cli.options.ConnectionOptions;
import dev.kafkademo.cli.options.ProducerOptions;
import dev.kafkademo.cli.options.RegistryOptions;
import dev.kafkademo.cli.options.StatsOption;
import dev.kafkademo.cli.output.Confirmations;
import dev.kafkademo.cli.output.ProducerReport;
import dev.kafkademo.cli.output.ProgressTicker;
import dev.kafkademo.events.EventEncoder;
import dev.kafkademo.events.EventLines;
import dev.kafkademo.events.OutgoingEvent;
import dev.kafkademo.kafka.ClientDefaults;
import dev.kafkademo.kafka.InvalidRecordPolicy;
import dev.kafkademo.kafka.admin.Cluster;
import dev.kafkademo.kafka.produce.EventPublisher;
import dev.kafkademo.kafka.produce.PublishResult;
import dev.kafkademo.registry.RegistryClient;
import dev.kafkademo.registry.RegistryEventEncoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "producer",
    sortOptions = false,
    mixinStandardHelpOptions = true,
    description = {
      "Send user-events (JSON, or Avro with a schema registry) to a topic, keyed by user id, and show each delivery confirmation.",
      "Confirmations go to stdout; progress and the summary to stderr."
    })
public final class ProducerCommand implements Callable<Integer> {
  /** How often confirmations are written to stdout: live for a person, cheap for a million. */
  private static final Duration FLUSH_INTERVAL = Duration.ofMillis(100);

  @Spec CommandSpec spec;

  @Mixin ConnectionOptions connection;

  @Mixin ProducerOptions options;

  @Mixin RegistryOptions registry;

  @Mixin StatsOption stats;

  @Override
  public Integer call() {
    options.validate(spec);
    Properties settings = producerSettings();
    // Avro: the schema's id from the registry before anything else, so that a registry that
    // refuses leaves no topic behind. JSON: input lines go as they are, generated events encoded.
    EventEncoder avro =
        options.valueFormat == ProducerOptions.ValueFormat.avro
            ? register(options.avroSchema())
            : null;
    try (InputStream input = options.openInput()) {
      EventLines lines =
          input == null
              ? null
              : options.raw
                  ? EventLines.raw(input, options.inputName(), this::rejected, options.keyDelimiter)
                  : new EventLines(input, options.inputName(), this::rejected, avro);
      if (lines != null && !lines.hasNext()) {
        return nothingToSend(lines); // the broker never asked, no topic created
      }
      Iterator<OutgoingEvent> events =
          lines != null
              ? lines
              : options.generatedEvents(avro != null ? avro : EventEncoder.json());
      try (Cluster cluster = Cluster.connect(settings, connection.timeout())) {
        TopicPreparation.ensure(
            cluster, options.topic, spec.commandLine().getErr(), "or check --topic");
      }
      return send(settings, events, lines);
    } catch (IOException | UncheckedIOException e) {
      throw new CliException(
          "Cannot read " + options.inputName() + ": " + e.getMessage(), ExitCodes.FAILURE, e);
    }
  }

  /** The producer's settings, checked: bad ones fail here, before any network. */
  Properties producerSettings() {
    Properties settings =
        ClientDefaults.finishProducer(
            connection.clientProperties(
                ClientDefaults.producer(null), options.clientSettings(), ClientKind.PRODUCER));
    // --timeout bounds reaching the cluster (checked before the producer starts); once there, a
    // send that waits for metadata (a broker restarting) waits as long as delivery would: with
    // --timeout there, a broker back in 15 s failed an event the client would have delivered.
    settings.putIfAbsent(
        ProducerConfig.MAX_BLOCK_MS_CONFIG,
        settings
            .getOrDefault(
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                ProducerConfig.configDef()
                    .defaultValues()
                    .get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG))
            .toString());
    new ProducerConfig(settings);
    return settings;
  }

  /** A line of --input that is not sent; true to read on (--on-invalid skip). */
  private boolean rejected(long line, String reason) {
    spec.commandLine()
        .getErr()
        .println("rejected " + options.inputName() + " line " + line + ": " + reason);
    return options.onInvalid == InvalidRecordPolicy.SKIP;
  }

  /** Sends the events, shows the confirmations and the summary; the exit code. */
  private int send(Properties settings, Iterator<OutgoingEvent> events, EventLines lines) {
    boolean acknowledging = !"0".equals(settings.getProperty(ProducerConfig.ACKS_CONFIG));
    ProducerReport report =
        new ProducerReport(
            spec.commandLine().getErr(), options.topic, options.raw ? "records" : "events");
    Confirmations confirmations = new Confirmations(spec.commandLine().getOut(), acknowledging);
    // Released last, so that on Ctrl-C the JVM waits for the flush and the summary.
    try (ShutdownSignal stop = ShutdownSignal.install(() -> {})) {
      PublishResult result = publish(settings, events, confirmations, report, stop);
      confirmations.writeWaiting();
      report.summary(result, acknowledging, confirmations.outputClosed(), lines);
      if (!result.allAcknowledged() && acksAll(settings)) {
        explainRefusedWrites(settings);
      }
      if (confirmations.outputClosed()) {
        return ExitCodes.OUTPUT_CLOSED;
      }
      boolean rejectedLines = lines != null && lines.rejectedCount() > 0;
      return result.allAcknowledged() && !rejectedLines ? ExitCodes.OK : ExitCodes.FAILURE;
    }
  }

  private static boolean acksAll(Properties settings) {
    String acks = settings.getProperty(ProducerConfig.ACKS_CONFIG, "all");
    return acks.equals("all") || acks.equals("-1");
  }

  /**
   * The Java client retries a write the brokers refuse with NotEnoughReplicas until its delivery
   * timeout, then reports only that time ran out: the topic's in-sync replicas say why.
   */
  private void explainRefusedWrites(Properties producerSettings) {
    // The producer's own connection and security settings, without its producer-only ones.
    Properties adminSettings = new Properties();
    producerSettings.forEach(
        (key, value) -> {
          if (AdminClientConfig.configNames().contains(key.toString())) {
            adminSettings.put(key, value);
          }
        });
    Map<Integer, List<Integer>> under;
    try (Cluster cluster = Cluster.connect(adminSettings, connection.timeout())) {
      under = cluster.topics().underMinInsync(options.topic);
    } catch (RuntimeException e) {
      return; // the cluster cannot say more now: the failures above stand on their own
    }
    if (under.isEmpty()) {
      return;
    }
    String partitions =
        under.keySet().stream().map(String::valueOf).collect(Collectors.joining(", "));
    String inSync =
        under.values().stream()
            .flatMap(List::stream)
            .distinct()
            .sorted()
            .map(String::valueOf)
            .collect(Collectors.joining(", "));
    spec.commandLine()
        .getErr()
        .printf(
            "error: NotEnoughReplicas: partition%s %s of %s %s fewer replicas in sync than the"
                + " topic's min.insync.replicas (in sync: %s), so the brokers refuse acks=all"
                + " writes: bring the stopped brokers back (`topics describe %s` shows the ISR)%n",
            under.size() == 1 ? "" : "s",
            partitions,
            options.topic,
            under.size() == 1 ? "has" : "have",
            inSync.isEmpty() ? "none" : (inSync.contains(",") ? "brokers " : "broker ") + inSync,
            options.topic);
  }

  private PublishResult publish(
      Properties props,
      Iterator<OutgoingEvent> events,
      Confirmations confirmations,
      ProducerReport report,
      ShutdownSignal stop) {
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
      EventPublisher publisher =
          new EventPublisher(
              producer,
              options.topic,
              options.quiet ? (event, metadata, latency) -> {} : confirmations,
              options.headers);
      try (ProgressTicker progress = ProgressTicker.everySecond(report.progress(publisher));
          ProgressTicker flush =
              ProgressTicker.every(
                  options.quiet ? Duration.ZERO : FLUSH_INTERVAL, confirmations::writeWaiting);
          ProgressTicker metrics =
              ProgressTicker.every(stats.every(), report.stats(producer, publisher))) {
        return publisher.publish(
            events,
            options.rate,
            () -> {
              confirmations.keepUp(); // a slow reader slows the sending, never Kafka's thread
              return stop.requested() || confirmations.outputClosed();
            });
      }
    }
  }

  /**
   * The schema's id from the registry: registered, or looked up with --no-auto-register. Generated
   * events are checked against the schema first.
   */
  private RegistryEventEncoder register(Schema schema) {
    if (options.input == null) {
      options.checkGeneratedEventsFit(schema);
    }
    RegistryClient client = registry.client(connection);
    String subject = RegistryEventEncoder.valueSubject(options.topic);
    RegistryEventEncoder encoder =
        new RegistryEventEncoder(client, subject, schema, options.autoRegister);
    spec.commandLine()
        .getErr()
        .println(
            "Avro with schema "
                + schema.getFullName()
                + " (id "
                + encoder.schemaId()
                + " under subject "
                + subject
                + " in "
                + client.url()
                + ")");
    return encoder;
  }

  /** An --input without a single valid event: nothing is sent and no topic is created. */
  private int nothingToSend(EventLines fromInput) {
    if (fromInput.nonBlankLines() == 0) {
      throw new CliException(
          "Nothing sent: "
              + options.inputName()
              + " holds no "
              + (options.raw ? "records (it is empty)" : "events (it is empty or blank)"));
    }
    spec.commandLine()
        .getErr()
        .println(
            fromInput.stoppedEarly()
                ? "Nothing sent: the first event of "
                    + options.inputName()
                    + " is not valid, and --on-error fail stops there (see above)"
                : "Nothing sent: none of the "
                    + fromInput.rejectedCount()
                    + " lines of "
                    + options.inputName()
                    + " is a valid event (see above)");
    return ExitCodes.FAILURE;
  }
}
