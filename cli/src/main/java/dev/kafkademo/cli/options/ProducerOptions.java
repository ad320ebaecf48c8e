package dev.kafkademo.cli.options;

import dev.kafkademo.Defaults;
import dev.kafkademo.cli.CliException;
import dev.kafkademo.cli.FileProblems;
import dev.kafkademo.events.EventEncoder;
import dev.kafkademo.events.EventGenerator;
import dev.kafkademo.events.EventType;
import dev.kafkademo.events.GeneratedEvents;
import dev.kafkademo.events.InvalidEventException;
import dev.kafkademo.events.OutgoingEvent;
import dev.kafkademo.events.UserEvent;
import dev.kafkademo.kafka.ClientDefaults;
import dev.kafkademo.kafka.InvalidRecordPolicy;
import dev.kafkademo.registry.AvroEvents;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;

/** What the producer sends, where, and how: its options, checked before anything connects. */
public final class ProducerOptions {
  /** Acknowledgements to wait for; the values as Kafka writes them. */
  public enum Acks {
    ALL("all"),
    LEADER("1"),
    NONE("0");

    private final String value;

    Acks(String value) {
      this.value = value;
    }

    @Override
    public String toString() {
      return value;
    }

    /** all (or -1), 1 or 0. */
    static final class Converter implements ITypeConverter<Acks> {
      @Override
      public Acks convert(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
          case "all", "-1" -> ALL;
          case "1" -> LEADER;
          case "0" -> NONE;
          default -> throw new TypeConversionException("'" + text + "' is not all, 1 or 0");
        };
      }
    }

    static final class Candidates extends java.util.ArrayList<String> {
      Candidates() {
        super(List.of("all", "1", "0"));
      }
    }
  }

  /** How event values are written. */
  public enum ValueFormat {
    json,
    avro
  }

  /** Batch compression, as Kafka names the codecs. */
  public enum Compression {
    none,
    gzip,
    snappy,
    lz4,
    zstd
  }

  /**
   * The producer's choices of the invalid-record policy: there is no dead-letter topic to write.
   */
  public static final class InputPolicies extends java.util.ArrayList<String> {
    InputPolicies() {
      super(List.of("skip", "fail"));
    }
  }

  @Option(
      names = {"-t", "--topic"},
      paramLabel = "TOPIC",
      defaultValue = Defaults.TOPIC,
      converter = KafkaNames.WritableTopic.class,
      description = "Topic to send to (default: ${DEFAULT-VALUE}).")
  public String topic;

  @Option(
      names = {"-n", "--count"},
      paramLabel = "N",
      defaultValue = "10",
      description = "How many events to generate (default: ${DEFAULT-VALUE}).")
  public long count;

  @Option(
      names = "--users",
      paramLabel = "N",
      defaultValue = "5",
      description = "Distinct users in generated events (default: ${DEFAULT-VALUE}).")
  public int users;

  @Option(
      names = "--time-span",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "Spread the generated events' timestamps over this much simulated time, ending now, with"
              + " gaps between a user's visits, e.g. 2h (default: the time of sending).")
  public Duration timeSpan;

  @Option(
      names = "--seed",
      paramLabel = "N",
      description =
          "Make the generated events reproducible: the same seed gives the same users, types,"
              + " items, amounts and ids (default: random).")
  public Long seed;

  @Option(
      names = "--rate",
      paramLabel = "EVENTS/S",
      defaultValue = "0",
      description = "Events per second; 0 sends as fast as possible (default).")
  public double rate;

  @Option(
      names = "--input",
      paramLabel = "FILE|-",
      description =
          "Send the events in this file (one JSON event per line; - reads stdin) instead of generated ones.")
  public String input;

  @Option(
      names = "--raw",
      description =
          "Send each line of --input (default: stdin) as a record value as it is, not checked as a"
              + " user-event: for topics that do not hold user-events. Empty lines are skipped.")
  public boolean raw;

  @Option(
      names = "--key-delimiter",
      paramLabel = "C",
      description =
          "With --raw: the key is what comes before the first C on a line, the value what comes"
              + " after (kcat's -K); a line without C is sent without a key.")
  public String keyDelimiter;

  @Option(
      names = {"-H", "--header"},
      paramLabel = "KEY=VALUE",
      converter = HeaderConverter.class,
      description = "A header added to every record sent (repeatable).")
  public List<Header> headers = new ArrayList<>();

  @Option(
      names = "--value-format",
      paramLabel = "FORMAT",
      defaultValue = "json",
      description =
          "json (default), or avro: Avro in the schema registry's wire format, its schema"
              + " registered under the subject TOPIC-value (needs --schema-registry).")
  public ValueFormat valueFormat;

  @Option(
      names = "--schema",
      paramLabel = "FILE.avsc",
      description =
          "With --value-format avro: the Avro schema to write with (default: the bundled "
              + AvroEvents.CURRENT
              + ", also in schemas/).")
  public Path schema;

  @Option(
      names = "--auto-register",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "With --value-format avro: register the schema if the subject does not have it yet"
              + " (default); --no-auto-register needs it registered already.")
  public boolean autoRegister;

  @Option(
      names = "--on-error",
      paramLabel = "POLICY",
      converter = PolicyConverter.class,
      completionCandidates = InputPolicies.class,
      description =
          "An --input line that is not a valid event: skip reports it and sends the rest (default);"
              + " fail stops there. Either way the exit code is 1. One of: ${COMPLETION-CANDIDATES}.")
  public InvalidRecordPolicy onInvalid = InvalidRecordPolicy.SKIP;

  /** {@code KEY=VALUE}: a header whose value is the UTF-8 text after the first '='. */
  static final class HeaderConverter implements ITypeConverter<Header> {
    @Override
    public Header convert(String text) {
      int equals = text.indexOf('=');
      if (equals <= 0) {
        throw new TypeConversionException(
            "'"
                + text
                + "' is not KEY=VALUE (a header name, '=', then its value, which may be empty)");
      }
      return new RecordHeader(
          text.substring(0, equals),
          text.substring(equals + 1).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  /** The name this option had before it was the same as the consumer's. */
  @Option(names = "--on-invalid", hidden = true, converter = PolicyConverter.class)
  public void setOnInvalid(InvalidRecordPolicy policy) {
    onInvalid = policy;
  }

  @Option(
      names = "--acks",
      paramLabel = "ACKS",
      converter = Acks.Converter.class,
      completionCandidates = Acks.Candidates.class,
      description =
          "Acknowledgements to wait for: ${COMPLETION-CANDIDATES} (default: all, with idempotence).")
  public Acks acks;

  @Option(
      names = "--compression",
      paramLabel = "CODEC",
      description = "Batch compression: ${COMPLETION-CANDIDATES} (default: none).")
  public Compression compression;

  @Option(
      names = "--linger-ms",
      paramLabel = "MS",
      description = "How long to wait to fill a batch (default: " + ClientDefaults.LINGER_MS + ").")
  public Integer lingerMs;

  @Option(
      names = "--batch-size",
      paramLabel = "BYTES",
      description = "Largest batch per partition (default: " + ClientDefaults.BATCH_SIZE + ").")
  public Integer batchSize;

  @Option(
      names = {"-q", "--quiet"},
      description = "Do not print a confirmation per event; the summary still goes to stderr.")
  public boolean quiet;

  /** Checks what picocli cannot: ranges and combinations. */
  public void validate(CommandSpec spec) {
    if (count < 1) {
      throw usage(spec, "--count must be at least 1, got " + count);
    }
    if (users < 1) {
      throw usage(spec, "--users must be at least 1, got " + users);
    }
    if (!Double.isFinite(rate) || rate < 0) {
      throw usage(spec, "--rate must be 0 (no limit) or a positive number, got " + rate);
    }
    if (lingerMs != null && lingerMs < 0) {
      throw usage(spec, "--linger-ms must be 0 or more, got " + lingerMs);
    }
    if (batchSize != null && batchSize < 0) {
      throw usage(spec, "--batch-size must be 0 or more, got " + batchSize);
    }
    if (onInvalid == InvalidRecordPolicy.DLQ) {
      throw usage(
          spec,
          "--on-error dlq is for the consumer: the producer's invalid input lines are skipped or stop it (skip, fail)");
    }
    boolean generatorOptions =
        Stream.of("--count", "--users", "--time-span", "--seed")
            .anyMatch(spec.commandLine().getParseResult()::hasMatchedOption);
    if (input != null && generatorOptions) {
      throw usage(
          spec,
          "--count, --users, --time-span and --seed are for generated events; leave them out with --input");
    }
    if (timeSpan != null && timeSpan.isZero()) {
      throw usage(spec, "--time-span must be longer than 0");
    }
    if (keyDelimiter != null && !raw) {
      throw usage(spec, "--key-delimiter is for --raw: events are keyed by their userId");
    }
    if (keyDelimiter != null && keyDelimiter.isEmpty()) {
      throw usage(spec, "--key-delimiter must not be empty");
    }
    if (raw && generatorOptions) {
      throw usage(
          spec,
          "--count, --users, --time-span and --seed are for generated events; --raw sends the"
              + " lines of --input or stdin");
    }
    if (raw
        && Stream.of("--value-format", "--on-error", "--on-invalid")
            .anyMatch(spec.commandLine().getParseResult()::hasMatchedOption)) {
      throw usage(
          spec, "--raw sends lines as they are: --value-format and --on-error do not apply");
    }
    boolean avroOptions =
        Stream.of("--schema", "--auto-register", "--no-auto-register")
            .anyMatch(spec.commandLine().getParseResult()::hasMatchedOption);
    if (avroOptions && valueFormat != ValueFormat.avro) {
      throw usage(spec, "--schema and --[no-]auto-register are for --value-format avro");
    }
  }

  /** The schema to write Avro with: --schema, or the bundled current one. */
  public Schema avroSchema() {
    if (schema == null) {
      return AvroEvents.current();
    }
    return RegistryOptions.readSchema("--schema ", schema);
  }

  /**
   * Checks, before anything is sent, that generated events fit {@code avroSchema}: one event of
   * each type the generator makes (each type has properties of its own), encoded and thrown away.
   */
  public void checkGeneratedEventsFit(Schema avroSchema) {
    AvroEvents.Writer writer = new AvroEvents.Writer(avroSchema);
    EventGenerator sample =
        EventGenerator.simulated(
            3, new SplittableRandom(1), Instant.now(), Duration.ofHours(6), 500);
    Set<EventType> seen = EnumSet.noneOf(EventType.class);
    for (int i = 0; i < 500 && seen.size() < EventType.values().length; i++) {
      UserEvent event = sample.next();
      if (seen.add(event.eventType())) {
        try {
          writer.encode(new byte[0], event);
        } catch (InvalidEventException e) {
          throw CliException.badInput(
              "Generated events do not fit --schema " + schema + ": " + e.getMessage(), e);
        }
      }
    }
  }

  private static ParameterException usage(CommandSpec spec, String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  /** The producer settings these options choose; absent ones keep our defaults. */
  public Map<String, String> clientSettings() {
    Map<String, String> settings = new HashMap<>();
    if (acks != null) {
      settings.put(ProducerConfig.ACKS_CONFIG, acks.toString());
    }
    if (compression != null) {
      settings.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression.name());
    }
    if (lingerMs != null) {
      settings.put(ProducerConfig.LINGER_MS_CONFIG, String.valueOf(lingerMs));
    }
    if (batchSize != null) {
      settings.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(batchSize));
    }
    return settings;
  }

  /** The generated events these options ask for. */
  public Iterator<OutgoingEvent> generatedEvents(EventEncoder encoder) {
    SplittableRandom random = seed == null ? new SplittableRandom() : new SplittableRandom(seed);
    EventGenerator generator =
        timeSpan == null
            ? new EventGenerator(users, random, Clock.systemUTC())
            : EventGenerator.simulated(users, random, Instant.now(), timeSpan, count);
    return new GeneratedEvents(generator, count, encoder);
  }

  /** The --input stream (with --raw, stdin without it), or null for generated events. */
  public InputStream openInput() {
    if (input == null && !raw) {
      return null;
    }
    if (input == null || input.equals("-")) {
      return new BufferedInputStream(System.in);
    }
    Path path = Path.of(input);
    if (Files.isDirectory(path)) {
      throw CliException.badInput("Cannot read --input " + input + ": it is a directory", null);
    }
    try {
      return new BufferedInputStream(Files.newInputStream(path));
    } catch (IOException e) {
      throw CliException.badInput(
          "Cannot read --input " + input + ": " + FileProblems.reason(e), e);
    }
  }

  /** How --input is named in messages. */
  public String inputName() {
    return input == null || "-".equals(input) ? "stdin" : input;
  }
}
