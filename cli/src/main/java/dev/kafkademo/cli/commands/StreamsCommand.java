package dev.kafkademo.cli.commands;

import dev.kafkademo.cli.CliException;
import dev.kafkademo.cli.ExitCodes;
import dev.kafkademo.cli.FileProblems;
import dev.kafkademo.cli.LocalPorts;
import dev.kafkademo.cli.ShutdownSignal;
import dev.kafkademo.cli.options.ClientKind;
import dev.kafkademo.cli.options.ConnectionOptions;
import dev.kafkademo.cli.options.DurationConverter;
import dev.kafkademo.cli.options.InvalidRecordOptions;
import dev.kafkademo.cli.options.KafkaNames;
import dev.kafkademo.cli.options.TopicOption;
import dev.kafkademo.cli.output.StreamsReport;
import dev.kafkademo.kafka.Durations;
import dev.kafkademo.kafka.InvalidRecordPolicy;
import dev.kafkademo.kafka.admin.Cluster;
import dev.kafkademo.kafka.admin.Groups;
import dev.kafkademo.streams.InvalidEventsHandler;
import dev.kafkademo.streams.StateOwner;
import dev.kafkademo.streams.StreamsApp;
import dev.kafkademo.streams.StreamsSettings;
import dev.kafkademo.streams.query.QueryServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
    name = "streams",
    sortOptions = false,
    mixinStandardHelpOptions = true,
    description = {
      "Run a Kafka Streams application on the user-events: events per type per window, revenue per",
      "user, sessions per user, each to a topic of its own (TOPIC.counts-per-type, TOPIC.revenue,",
      "TOPIC.sessions) and queryable over HTTP while it runs.",
      "Results go to stdout as they are emitted; state changes and the summary to stderr."
    })
public final class StreamsCommand implements Callable<Integer> {
  /** How long stopping may take: committing, flushing the state, leaving the group. */
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

  /** The processing guarantee, as the option writes it. */
  public enum Guarantee {
    at_least_once,
    exactly_once;

    /** at-least-once or exactly-once, also with underscores. */
    static final class Converter implements picocli.CommandLine.ITypeConverter<Guarantee> {
      @Override
      public Guarantee convert(String value) {
        return switch (value.toLowerCase(java.util.Locale.ROOT).replace('_', '-')) {
          case "at-least-once" -> at_least_once;
          case "exactly-once" -> exactly_once;
          default ->
              throw new picocli.CommandLine.TypeConversionException(
                  "'" + value + "' is not at-least-once or exactly-once");
        };
      }
    }
  }

  @Spec CommandSpec spec;

  @Mixin TopicOption topic;

  @Mixin ConnectionOptions connection;

  @Option(
      names = "--application-id",
      paramLabel = "ID",
      defaultValue = "kafka-demo-streams",
      converter = KafkaNames.Group.class,
      description =
          "The application's id: its consumer group and the prefix of its internal topics (default: ${DEFAULT-VALUE}).")
  String applicationId;

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      description =
          "Where the state stores live, kept across restarts (default: ~/.kafka-demo/streams).")
  Path stateDir;

  @Option(
      names = "--keep-state",
      description =
          "Never delete the state directory: refuse to start when it holds state from another"
              + " cluster (default: say so and start from empty state).")
  boolean keepState;

  @Option(
      names = "--guarantee",
      paramLabel = "GUARANTEE",
      defaultValue = "at-least-once",
      converter = Guarantee.Converter.class,
      description = "at-least-once (default) or exactly-once.")
  Guarantee guarantee;

  @Option(
      names = "--window",
      paramLabel = "DURATION",
      defaultValue = "1m",
      converter = DurationConverter.class,
      description =
          "Size of the tumbling windows of the counts per type (default: ${DEFAULT-VALUE}).")
  Duration window;

  @Option(
      names = "--grace",
      paramLabel = "DURATION",
      defaultValue = "10s",
      converter = DurationConverter.class,
      description = "How late an event may be and still count (default: ${DEFAULT-VALUE}).")
  Duration grace;

  @Option(
      names = "--session-gap",
      paramLabel = "DURATION",
      defaultValue = "30m",
      converter = DurationConverter.class,
      description = "Inactivity that ends a user's session (default: ${DEFAULT-VALUE}).")
  Duration sessionGap;

  @Option(
      names = "--http-port",
      paramLabel = "PORT",
      defaultValue = "7070",
      description =
          "Port of the query server on 127.0.0.1; 0 turns it off (default: ${DEFAULT-VALUE}).")
  int httpPort;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "pretty",
      description = "How to show results: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  StreamsReport.Format format;

  @Mixin InvalidRecordOptions invalidRecords;

  @Option(
      names = "--stop-when-caught-up",
      description =
          "Process what the topic holds when the application starts, commit, print the summary and"
              + " exit 0 (for scripts, tests and benchmarks).")
  boolean stopWhenCaughtUp;

  @Override
  public Integer call() throws IOException, InterruptedException {
    validate();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path stateDirectory = prepareStateDir();
    String deadLetterTopic = invalidRecords.deadLetterTopic(topic.name());
    Properties props =
        connection.clientProperties(
            Map.of(),
            Map.of(),
            ClientKind.STREAMS,
            ClientKind.CONSUMER,
            ClientKind.PRODUCER,
            ClientKind.ADMIN);
    StreamsReport report = new StreamsReport(format, out, err);
    StreamsSettings settings;
    String clusterId;
    Path applicationState = stateDirectory.resolve(applicationId);
    StateOwner owner = new StateOwner(applicationState);
    Optional<String> foreign;
    if (httpPort != 0) {
      LocalPorts.requireFree("127.0.0.1", httpPort, portInUse());
    }
    try (Cluster cluster = Cluster.connect(props, connection.timeout())) {
      clusterId = cluster.id();
      foreign = owner.notFrom(clusterId, applicationId);
      if (foreign.isPresent() && keepState) { // before anything is created
        throw CliException.badInput(
            "The state in "
                + applicationState
                + " "
                + foreign.get()
                + ": name another --state-dir, or leave out --keep-state to start from empty state",
            null);
      }
      if (!cluster.topics().exists(topic.name())) {
        throw new CliException(
            "Topic "
                + topic.name()
                + " does not exist yet: produce to it first (kafka-demo producer --topic "
                + topic.name()
                + ") or check --topic");
      }
      int inputPartitions = cluster.topics().find(topic.name()).orElseThrow().partitions().size();
      sayWhoIsInTheGroupAlready(cluster, props, err);
      settings =
          new StreamsSettings(
              topic.name(),
              inputPartitions,
              window,
              grace,
              sessionGap,
              stopWhenCaughtUp
                  ? StreamsSettings.IDLE_AFTER_AT_THE_END
                  : StreamsSettings.IDLE_AFTER);
      for (String output :
          new String[] {
            settings.countsTopic(), settings.revenueTopic(), settings.sessionsTopic()
          }) {
        TopicPreparation.ensure(cluster, output, err, "");
      }
      if (invalidRecords.policy() == InvalidRecordPolicy.DLQ) {
        TopicPreparation.ensure(
            cluster, deadLetterTopic, err, "or name another dead-letter topic with --dlq-topic");
      }
    }
    CaughtUp caughtUp =
        stopWhenCaughtUp ? CaughtUp.of(props, connection.timeout(), topic.name()) : null;
    err.println("State in " + applicationState);
    StreamsApp app =
        new StreamsApp(
            props,
            new StreamsApp.Options(
                applicationId,
                settings,
                stateDirectory,
                guarantee == Guarantee.exactly_once,
                new InvalidEventsHandler.Policy(
                    invalidRecords.policy(), deadLetterTopic, report::invalid),
                httpPort == 0 ? null : QueryServer.applicationServer(httpPort)),
            report,
            report::stateChanged);
    if (foreign.isPresent()) {
      err.println(
          "The state there "
              + foreign.get()
              + ": starting from empty state (--keep-state refuses instead)");
      app.deleteLocalState();
    }
    owner.claim(clusterId, applicationId);
    QueryServer queries = startQueries(app);
    // Released last, so that on Ctrl-C the JVM waits for the close and the summary.
    try (ShutdownSignal stop =
        ShutdownSignal.install(
            () -> {},
            "what was processed since the last commit (at most "
                + (guarantee == Guarantee.exactly_once ? "0.1 s" : "1 s")
                + " of it) is processed again by the next run")) {
      long started = System.nanoTime();
      app.start();
      Throwable failure = runUntilStopped(app, report, stop, caughtUp);
      if (stop.requested()) {
        err.println(
            "Stopping: committing what was processed and leaving the group (at most "
                + Durations.format(CLOSE_TIMEOUT)
                + "; Ctrl-C again stops at once)");
        err.flush();
      }
      if (queries != null) {
        queries.close();
      }
      if (caughtUp != null) {
        caughtUp.close();
      }
      if (!app.close(CLOSE_TIMEOUT)) { // flushes the state, commits what was processed
        err.println(
            "Kafka Streams did not stop within "
                + Durations.format(CLOSE_TIMEOUT)
                + ": what was processed since its last commit is processed again by the next run");
      }
      report.summary(app.eventsRead(), Duration.ofNanos(System.nanoTime() - started));
      if (failure != null) {
        var refused =
            dev.kafkademo.kafka.Causes.first(
                failure, org.apache.kafka.common.errors.AuthorizationException.class);
        if (refused != null) {
          throw refused; // said as every command says it: which operation on which resource
        }
        throw new CliException(
            "The application stopped: " + StreamsReport.reason(failure),
            ExitCodes.FAILURE,
            failure);
      }
    }
    return ExitCodes.OK;
  }

  /**
   * Until Ctrl-C, a failure, or (with --stop-when-caught-up) everything there was committed, and
   * the counts hold no window back: a partition whose events end earlier than the others' (or an
   * empty one) says it is idle only after a moment without records, and until it has, the windows
   * after its last event cannot close.
   */
  private Throwable runUntilStopped(
      StreamsApp app, StreamsReport report, ShutdownSignal stop, CaughtUp caughtUp)
      throws InterruptedException {
    while (!stop.requested()) {
      if (app.awaitStopped(Duration.ofMillis(200))) {
        return app.failure() != null
            ? app.failure()
            : new IllegalStateException("Kafka Streams stopped in state " + app.streams().state());
      }
      if (caughtUp != null
          && report.countsSettled()
          && caughtUp.reached(applicationId, app.repartitionTopics())) {
        return null;
      }
    }
    return null;
  }

  /**
   * A run that did not stop cleanly (killed, crashed) stays a member of the group until its session
   * times out, and until then no new member is given its partitions: say so, and for how long.
   */
  private void sayWhoIsInTheGroupAlready(Cluster cluster, Properties props, PrintWriter err) {
    List<Groups.Member> members;
    try {
      members = cluster.groups().describe(applicationId).members();
    } catch (GroupIdNotFoundException e) {
      return;
    }
    if (members.isEmpty()) {
      return;
    }
    Object configured =
        props.getOrDefault(
            ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG,
            ConsumerConfig.configDef()
                .defaultValues()
                .get(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG));
    Duration sessionTimeout = Duration.ofMillis(Long.parseLong(configured.toString()));
    err.println(
        "Group "
            + applicationId
            + " has "
            + members.size()
            + (members.size() == 1 ? " member" : " members")
            + " already ("
            + String.join(
                ", ", members.stream().map(m -> m.clientId() + " on " + m.host()).toList())
            + "): another instance shares the partitions with this one; a run that did not stop"
            + " cleanly holds them until its session times out (within "
            + Durations.format(sessionTimeout)
            + ", session.timeout.ms)");
    err.flush();
  }

  private String portInUse() {
    return "Port "
        + httpPort
        + " on 127.0.0.1 is already in use: pick another --http-port, or 0 to run without queries";
  }

  private QueryServer startQueries(StreamsApp app) {
    if (httpPort == 0) {
      return null;
    }
    try {
      QueryServer queries = QueryServer.start(app.streams(), httpPort, window);
      spec.commandLine()
          .getErr()
          .println(
              "Queries on http://127.0.0.1:"
                  + httpPort
                  + " (/health, /revenue/USER, /sessions/USER, /counts)");
      return queries;
    } catch (BindException e) {
      app.streams().close(Duration.ZERO);
      throw new CliException(portInUse(), ExitCodes.FAILURE, e); // taken since the check
    } catch (IOException e) {
      app.streams().close(Duration.ZERO);
      throw new CliException(
          "Cannot start the query server: " + e.getMessage(), ExitCodes.FAILURE, e);
    }
  }

  private void validate() {
    if (httpPort < 0 || httpPort > 65535) {
      throw new ParameterException(
          spec.commandLine(), "--http-port must be between 0 (off) and 65535, got " + httpPort);
    }
    for (Map.Entry<String, Duration> d :
        Map.of("--window", window, "--session-gap", sessionGap).entrySet()) {
      if (d.getValue().isZero()) {
        throw new ParameterException(spec.commandLine(), d.getKey() + " must be longer than 0");
      }
    }
  }

  /** The state directory, created if it is missing; one line when it cannot be used. */
  private Path prepareStateDir() {
    Path dir =
        stateDir != null
            ? stateDir
            : Path.of(System.getProperty("user.home"), ".kafka-demo", "streams");
    if (dir.toString().isBlank()) {
      throw new ParameterException(spec.commandLine(), "--state-dir needs a directory");
    }
    Path absolute = dir.toAbsolutePath();
    if (Files.exists(absolute) && !Files.isDirectory(absolute)) {
      throw CliException.badInput(
          "Cannot use " + absolute + " as the state directory: it is a file, not a directory",
          null);
    }
    try {
      Files.createDirectories(absolute);
    } catch (IOException e) {
      throw CliException.badInput(
          "Cannot use " + absolute + " as the state directory: " + FileProblems.reason(e), e);
    }
    if (!Files.isWritable(absolute)) {
      throw CliException.badInput(
          "Cannot use " + absolute + " as the state directory: permission denied", null);
    }
    return absolute;
  }

  /** The input's end offsets when the application started, and whether its group got there. */
  private static final class CaughtUp implements AutoCloseable {
    private final Cluster cluster;
    private final Map<TopicPartition, Long> target;

    private CaughtUp(Cluster cluster, Map<TopicPartition, Long> target) {
      this.cluster = cluster;
      this.target = target;
    }

    static CaughtUp of(Properties props, Duration timeout, String topic) {
      Cluster cluster = Cluster.connect(props, timeout);
      return new CaughtUp(cluster, cluster.topics().endOffsets(topic));
    }

    /**
     * Every input partition's committed offset has reached the end it had at the start, and what
     * the application sent through its repartition topics is processed too.
     */
    boolean reached(String group, List<String> repartitionTopics) {
      Map<TopicPartition, Long> committed = cluster.groups().committedOffsets(group);
      if (!upTo(target, committed)) {
        return false;
      }
      for (String internal : repartitionTopics) {
        if (!upTo(cluster.topics().endOffsets(internal), committed)) {
          return false;
        }
      }
      return true;
    }

    private static boolean upTo(
        Map<TopicPartition, Long> ends, Map<TopicPartition, Long> committed) {
      return ends.entrySet().stream()
          .allMatch(
              e -> e.getValue() == 0 || committed.getOrDefault(e.getKey(), -1L) >= e.getValue());
    }

    @Override
    public void close() {
      cluster.close();
    }
  }
}
