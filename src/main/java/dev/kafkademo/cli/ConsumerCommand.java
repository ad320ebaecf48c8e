package dev.kafkademo.cli;

import dev.kafkademo.Defaults;
import dev.kafkademo.kafka.BrokerConnection;
import dev.kafkademo.kafka.ClientDefaults;
import dev.kafkademo.kafka.ConsumeResult;
import dev.kafkademo.kafka.EventConsumerLoop;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
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
  /** How each processed event is shown. */
  public enum Format {
    pretty,
    json,
    value,
    none
  }

  @Spec CommandSpec spec;

  @Mixin ConnectionOptions connection;

  @Option(
      names = {"-t", "--topic"},
      paramLabel = "TOPIC",
      defaultValue = Defaults.TOPIC,
      description = "Topic to read (default: ${DEFAULT-VALUE}).")
  String topic;

  @Option(
      names = {"-g", "--group"},
      paramLabel = "GROUP",
      defaultValue = Defaults.GROUP,
      description = "Consumer group (default: ${DEFAULT-VALUE}).")
  String group;

  @Option(
      names = "--from-beginning",
      description =
          "Start at the oldest event when the group has no committed offset yet (otherwise: only new events).")
  boolean fromBeginning;

  @Option(
      names = "--max-messages",
      paramLabel = "N",
      defaultValue = "0",
      description = "Stop after N valid events; skipped records do not count (default: no limit).")
  long maxMessages;

  @Option(
      names = "--idle-timeout",
      paramLabel = "DURATION",
      description = "Stop after this long with nothing new, e.g. 5s (default: run until Ctrl-C).")
  Duration idleTimeout;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "pretty",
      description =
          "How to show events: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}). json prints one object per line with topic, partition, offset, key, timestamp and event.")
  Format format;

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
    Properties props =
        ClientDefaults.finishConsumer(
            connection.clientProperties(
                ClientDefaults.consumer(group, fromBeginning), java.util.Map.of()));

    new ConsumerConfig(props); // bad -X or --command-config values fail here, before any network
    try (BrokerConnection cluster = BrokerConnection.open(props, connection.timeout())) {
      if (!cluster.topicExists(topic)) {
        err.println(
            "note: topic "
                + topic
                + " does not exist yet; waiting for it (a producer creates it on its first write)");
      }
    }
    KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props);
    EventConsumerLoop loop =
        new EventConsumerLoop(
            consumer,
            topic,
            new ConsoleRecordHandler(format, out, err),
            new EventConsumerLoop.Limits(maxMessages, idleTimeout));
    // The signal is released last, so that on Ctrl-C the JVM waits for the commit, the summary and
    // the consumer leaving its group.
    try (ShutdownSignal stop = ShutdownSignal.install(loop::wakeup)) {
      ConsumeResult result;
      try {
        result = loop.run();
      } finally {
        // Bounded: a consumer closed in the middle of joining its group would otherwise wait 30 s.
        consumer.close(CloseOptions.timeout(connection.timeout()));
      }
      out.flush();
      summarize(err, result);
    }
    return ExitCodes.OK;
  }

  private void summarize(PrintWriter err, ConsumeResult result) {
    String perType =
        result.perType().entrySet().stream()
            .sorted(java.util.Map.Entry.comparingByKey())
            .map(e -> e.getKey().jsonName() + " " + e.getValue())
            .collect(Collectors.joining(", "));
    err.printf(
        Locale.ROOT,
        "Processed %,d events from %s in group %s in %s%s; skipped %,d invalid records%n",
        result.processed(),
        topic,
        group,
        Report.seconds(result.elapsed()),
        perType.isEmpty() ? "" : " (" + perType + ")",
        result.skipped());
    if (!result.committed().isEmpty()) {
      err.println(
          "Committed offsets: "
              + result.committed().entrySet().stream()
                  .map(e -> e.getKey() + "=" + e.getValue())
                  .collect(Collectors.joining(", ")));
    }
  }
}
