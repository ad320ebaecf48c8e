package dev.kafkademo.cli.commands;

import dev.kafkademo.cli.CliException;
import dev.kafkademo.cli.ExitCodes;
import dev.kafkademo.cli.ShutdownSignal;
import dev.kafkademo.cli.filter.CelFilter;
import dev.kafkademo.cli.options.ClientKind;
import dev.kafkademo.cli.options.ConnectionOptions;
import dev.kafkademo.cli.options.DurationConverter;
import dev.kafkademo.cli.options.GroupOption;
import dev.kafkademo.cli.options.InvalidRecordOptions;
import dev.kafkademo.cli.options.PointInTimeConverter;
import dev.kafkademo.cli.options.RegistryOptions;
import dev.kafkademo.cli.options.StatsOption;
import dev.kafkademo.cli.options.TopicOption;
import dev.kafkademo.cli.output.ConsoleRecordHandler;
import dev.kafkademo.cli.output.Report;
import dev.kafkademo.events.EventDecoder;
import dev.kafkademo.kafka.ClientDefaults;
import dev.kafkademo.kafka.InvalidRecordPolicy;
import dev.kafkademo.kafka.admin.Cluster;
import dev.kafkademo.kafka.consume.ConsumeResult;
import dev.kafkademo.kafka.consume.DeadLetterQueue;
import dev.kafkademo.kafka.consume.EventConsumerLoop;
import dev.kafkademo.kafka.consume.StartingPoint;
import dev.kafkademo.registry.AvroEvents;
import dev.kafkademo.registry.RegistryEventDecoder;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
    name = "consumer",
    sortOptions = false,
    mixinStandardHelpOptions = true,
    description = {
      "Read user-events as a member of a consumer group, process them and commit what was processed.",
      "Events go to stdout; assignments, skipped records and the summary to stderr.",
      "Runs until Ctrl-C unless --max-messages or --idle-timeout says otherwise."
    })
public final class ConsumerCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ConnectionOptions connection;

  @Option(
      names = "--from-beginning",
      description =
          "Start at the oldest event when the group has no committed offset yet (otherwise: only new events).")
  boolean fromBeginning;

  @Option(
      names = "--from-time",
      paramLabel = "TIME",
      converter = PointInTimeConverter.class,
      description =
          "Start each partition at its first record at or after TIME: 2026-12-04T10:00:00Z,"
              + " 2026-12-04 (UTC), or a duration ago like 90m, 2h, 3d. A time after a partition's"
              + " last record starts at its end.")
  Instant fromTime;

  @Option(
      names = "--tail",
      paramLabel = "N",
      description =
          "Start with the last N records of each partition (kcat's -o -N), then go on reading.")
  Long tail;

  @Option(
      names = "--partition",
      paramLabel = "N",
      description =
          "Read only this partition (repeatable), assigned directly instead of by the group;"
              + " the group's offsets are still committed.")
  List<Integer> partitions = new ArrayList<>();

  @Option(
      names = "--filter",
      paramLabel = "EXPR",
      description = {
        "Show only records for which this CEL expression is true; the others are counted as"
            + " filtered and committed. Over key, value (the event as a map; the text with --raw),"
            + " headers, partition, offset, timestamp (epoch ms).",
        "Example: 'value.eventType == \"purchase\" && value.properties.amount > 100.0'"
      })
  String filter;

  @Option(
      names = "--max-messages",
      paramLabel = "N",
      defaultValue = "0",
      description =
          "Stop after N events shown; skipped and filtered records do not count (default: no limit).")
  long maxMessages;

  @Option(
      names = "--idle-timeout",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Stop after this long with nothing new, e.g. 5s (default: run until Ctrl-C).")
  Duration idleTimeout;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "pretty",
      description =
          "How to show events: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}). json prints one object per line with topic, partition, offset, key, timestamp and event.")
  ConsoleRecordHandler.Format format;

  @Mixin TopicOption topic;

  @Mixin GroupOption group;

  @Mixin StatsOption stats;

  @Mixin InvalidRecordOptions invalidRecords;

  @Option(
      names = "--instance-id",
      paramLabel = "ID",
      description =
          "Static group membership (group.instance.id): a restart within the session timeout keeps the partitions without a rebalance.")
  String instanceId;

  @Mixin RegistryOptions registry;

  @Option(
      names = "--reader-schema",
      paramLabel = "FILE.avsc",
      description =
          "Avro values are read into this schema, whatever version they were written with"
              + " (default: the bundled "
              + AvroEvents.CURRENT
              + ").")
  Path readerSchema;

  @Option(
      names = "--raw",
      description =
          "Show records as they are, without reading them as user-events: for any topic (change"
              + " events, a dead-letter topic), as kafka-console-consumer does.")
  boolean raw;

  @Override
  public Integer call() {
    if (maxMessages < 0) {
      throw new ParameterException(
          spec.commandLine(), "--max-messages must be 0 (no limit) or more, got " + maxMessages);
    }
    if (idleTimeout != null && idleTimeout.isZero()) {
      throw new ParameterException(spec.commandLine(), "--idle-timeout must be longer than 0");
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (raw
        && java.util.stream.Stream.of("--on-error", "--on-invalid", "--reader-schema")
            .anyMatch(spec.commandLine().getParseResult()::hasMatchedOption)) {
      throw new ParameterException(
          spec.commandLine(),
          "--raw shows records without reading them as events: --on-error and --reader-schema do not apply");
    }
    StartingPoint start = startingPoint();
    CelFilter recordFilter = compileFilter(); // a mistake in it is found before connecting
    EventDecoder decoder = raw ? null : decoder(); // null: raw records, nothing to validate
    Map<String, String> flags = new HashMap<>();
    if (instanceId != null) {
      flags.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId);
    }
    // With a dead-letter topic the file's producer settings are used too: no warning for those.
    ClientKind[] clients =
        invalidRecords.policy() == InvalidRecordPolicy.DLQ
            ? new ClientKind[] {ClientKind.CONSUMER, ClientKind.PRODUCER}
            : new ClientKind[] {ClientKind.CONSUMER};
    Properties props =
        ClientDefaults.finishConsumer(
            connection.clientProperties(
                ClientDefaults.consumer(group.name(), fromBeginning), flags, clients));
    String deadLetterTopic = invalidRecords.deadLetterTopic(topic.name());

    new ConsumerConfig(props); // bad -X or --command-config values fail here, before any network
    try (Cluster cluster = Cluster.connect(props, connection.timeout())) {
      if (invalidRecords.policy() == InvalidRecordPolicy.DLQ) {
        TopicPreparation.ensure(
            cluster, deadLetterTopic, err, "or name another dead-letter topic with --dlq-topic");
      }
      if (!partitions.isEmpty()) {
        checkPartitions(cluster);
      } else if (!cluster.topics().exists(topic.name())) {
        err.println(
            "note: topic "
                + topic.name()
                + " does not exist yet; waiting for it (a producer creates it on its first write)");
      }
    }
    KafkaProducer<byte[], byte[]> deadLetterProducer =
        invalidRecords.policy() == InvalidRecordPolicy.DLQ
            ? new KafkaProducer<>(deadLetterProducerProperties())
            : null;
    KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props);
    EventConsumerLoop loop =
        new EventConsumerLoop(
            consumer,
            new EventConsumerLoop.Source(
                topic.name(),
                partitions.stream().distinct().sorted().toList(),
                start,
                recordFilter),
            new ConsoleRecordHandler(format, out, err, stats.every()),
            new EventConsumerLoop.Limits(maxMessages, idleTimeout, connection.timeout()),
            new EventConsumerLoop.OnInvalid(
                invalidRecords.policy(),
                deadLetterProducer == null
                    ? null
                    : new DeadLetterQueue(deadLetterProducer, deadLetterTopic)),
            decoder);
    // The signal is released last, so that on Ctrl-C the JVM waits for the commit, the summary and
    // the consumer leaving its group.
    try (ShutdownSignal stop = ShutdownSignal.install(loop::wakeup)) {
      ConsumeResult result;
      try {
        result = loop.run();
      } finally {
        consumer.close(CloseOptions.timeout(closeTimeout()));
        if (deadLetterProducer != null) {
          deadLetterProducer.close(connection.timeout());
        }
      }
      out.flush();
      summarize(err, result, deadLetterTopic);
      if (recordFilter != null && recordFilter.failures() > 0) {
        err.printf(
            Locale.ROOT,
            "note: --filter could not be evaluated on %,d records, counted as filtered (first:"
                + " %s); has(value.properties.x) tests whether a field is there%n",
            recordFilter.failures(),
            recordFilter.firstFailure());
      }
      if (result.commitFailure() != null) {
        err.println(
            "The final commit failed ("
                + result.commitFailure()
                + "): the group reads again from its last committed offsets, so events after"
                + " them are read twice");
      }
      if (result.outputClosed()) {
        return ExitCodes.OUTPUT_CLOSED;
      }
      if (result.stoppedAt() != null) {
        throw new CliException(
            "Stopped at "
                + result.stoppedAt()
                + ". The group's offsets point at this record: fix it and run again,"
                + " or use --on-error skip or dlq");
      }
      return result.commitFailure() == null ? ExitCodes.OK : ExitCodes.FAILURE;
    }
  }

  /** --from-time or --tail, checked against each other and --from-beginning; null for neither. */
  private StartingPoint startingPoint() {
    long given =
        java.util.stream.Stream.of(fromBeginning ? "" : null, fromTime, tail)
            .filter(java.util.Objects::nonNull)
            .count();
    if (given > 1) {
      throw new ParameterException(
          spec.commandLine(),
          "--from-beginning, --from-time and --tail each say where to start: give one of them");
    }
    if (tail != null && tail < 0) {
      throw new ParameterException(
          spec.commandLine(), "--tail must be 0 (only new records) or more, got " + tail);
    }
    for (int partition : partitions) {
      if (partition < 0) {
        throw new ParameterException(
            spec.commandLine(), "--partition must be 0 or more, got " + partition);
      }
    }
    if (fromTime != null) {
      return StartingPoint.fromTime(fromTime);
    }
    return tail != null ? StartingPoint.lastOf(tail) : null;
  }

  private CelFilter compileFilter() {
    if (filter == null) {
      return null;
    }
    try {
      return CelFilter.compile(filter, raw);
    } catch (CelFilter.InvalidFilterException e) {
      throw CliException.badInput("--filter: " + e.getMessage(), e);
    }
  }

  /** Each --partition exists: a partition that does not is a mistake, not something to wait for. */
  private void checkPartitions(Cluster cluster) {
    int count =
        cluster
            .topics()
            .find(topic.name())
            .orElseThrow(
                () ->
                    new CliException(
                        "Topic "
                            + topic.name()
                            + " does not exist, so it has no partition to read: see kafka-demo"
                            + " topics list",
                        ExitCodes.NOT_FOUND,
                        null))
            .partitions()
            .size();
    for (int partition : partitions) {
      if (partition >= count) {
        throw CliException.badInput(
            "Topic "
                + topic.name()
                + " has partitions 0 to "
                + (count - 1)
                + ": there is no partition "
                + partition,
            null);
      }
    }
  }

  /**
   * Offsets are committed by then and the request to leave the group goes out at once, so closing
   * need not wait longer: unbounded, a consumer closed while joining its group waits 30 s, and
   * every close waits fetch.max.wait.ms (500 ms) for the broker to end the fetch session, which the
   * broker also does by itself (KAFKA-19884).
   */
  private Duration closeTimeout() {
    Duration enough = Duration.ofMillis(300);
    return connection.timeout().compareTo(enough) < 0 ? connection.timeout() : enough;
  }

  /** JSON, and registry-framed Avro: the registry is asked only when an Avro record comes. */
  private EventDecoder decoder() {
    // Null: the bundled one, read when it is needed.
    Schema reader =
        readerSchema == null ? null : RegistryOptions.readSchema("--reader-schema ", readerSchema);
    RegistryEventDecoder decoder = new RegistryEventDecoder(registry.client(connection), reader);
    if (registry.given(connection)) { // a registry named: Avro is expected, get ready for it now
      decoder.prepare(topic.name());
    }
    return EventDecoder.jsonOr(decoder); // JSON never goes near the registry
  }

  /** The consumer's connection and security settings, for a safe producer to the DLQ. */
  private Properties deadLetterProducerProperties() {
    Properties all =
        connection.clientProperties(ClientDefaults.producer(connection.timeout()), Map.of());
    Properties producer = new Properties();
    for (String name : ProducerConfig.configNames()) {
      if (all.containsKey(name)) {
        producer.put(name, all.get(name));
      }
    }
    producer.put(ProducerConfig.CLIENT_ID_CONFIG, "kafka-demo-dlq-producer");
    return ClientDefaults.finishProducer(producer);
  }

  private void summarize(PrintWriter err, ConsumeResult result, String deadLetterTopic) {
    String perType =
        result.perType().entrySet().stream()
            .sorted(Map.Entry.comparingByKey())
            .map(e -> e.getKey().jsonName() + " " + e.getValue())
            .collect(Collectors.joining(", "));
    err.printf(
        Locale.ROOT,
        "Processed %,d %s from %s in group %s in %s%s;%s skipped %,d invalid records%s%n",
        result.processed(),
        raw ? "records" : "events",
        topic.name(),
        group.name(),
        Report.seconds(result.elapsed()),
        perType.isEmpty() ? "" : " (" + perType + ")",
        filter == null
            ? ""
            : String.format(Locale.ROOT, " %,d filtered out (read, not shown);", result.filtered()),
        result.skipped(),
        result.deadLettered() > 0
            ? String.format(Locale.ROOT, ", sent %,d to %s", result.deadLettered(), deadLetterTopic)
            : "");
    if (result.ageMillis().getTotalCount() > 0) {
      err.printf(
          Locale.ROOT,
          "Event age when processed (end-to-end latency): p50 %d ms, p99 %d ms, max %d ms%n",
          result.ageMillis().getValueAtPercentile(50),
          result.ageMillis().getValueAtPercentile(99),
          result.ageMillis().getMaxValue());
    }
    if (result.outputClosed()) {
      err.println(
          "Stopped early: stdout was closed. Only what was written before is committed;"
              + " the group reads the rest again next time.");
    }
    if (!result.committed().isEmpty()) {
      err.println(
          "Committed offsets: "
              + result.committed().entrySet().stream()
                  .map(e -> e.getKey() + "=" + e.getValue())
                  .collect(Collectors.joining(", ")));
    }
  }
}
