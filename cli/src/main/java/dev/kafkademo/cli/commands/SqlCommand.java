package dev.kafkademo.cli.commands;

import dev.kafkademo.cli.CliException;
import dev.kafkademo.cli.ExitCodes;
import dev.kafkademo.cli.FileProblems;
import dev.kafkademo.cli.flink.JobManager;
import dev.kafkademo.cli.options.ConnectionOptions;
import dev.kafkademo.cli.options.DurationConverter;
import dev.kafkademo.cli.options.OutputOptions;
import dev.kafkademo.cli.options.RegistryOptions;
import dev.kafkademo.cli.options.TopicOption;
import dev.kafkademo.cli.output.SqlReport;
import dev.kafkademo.kafka.Durations;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "sql",
    sortOptions = false,
    mixinStandardHelpOptions = true,
    subcommands = {SqlCommand.Jobs.class, SqlCommand.Cancel.class},
    description = {
      "Run Flink SQL over the user-events: in a local Flink cluster inside this process, or, with"
          + " --jobmanager, as jobs of a Flink session cluster (sql jobs lists them, sql cancel ends"
          + " one).",
      "The table user_events is there already: eventId, userId, eventType, timestamp, properties"
          + " (.page, .query, .item, .quantity, .amount, .currency, .method, .sessionSeconds) and"
          + " event_time, the event time with a watermark --grace behind the latest event.",
      "Results go to stdout as they change (+I added, -U/+U updated, -D retracted); the summary to"
          + " stderr.",
      "Flink lives in target/kafka-demo-sql.jar; started from kafka-demo.jar, sql runs that jar."
    })
public final class SqlCommand implements Callable<Integer> {
  /** Where user_events starts. */
  public enum From {
    earliest,
    latest
  }

  /** What to do with a record that is not a JSON event. */
  public enum OnError {
    skip,
    fail
  }

  @Spec CommandSpec spec;

  @Mixin TopicOption topic;

  @Mixin ConnectionOptions connection;

  @Mixin RegistryOptions registry;

  @Parameters(
      arity = "0..1",
      paramLabel = "SQL",
      description = "Statements to run, separated by ';' (or --file).")
  String sql;

  @Option(
      names = {"-f", "--file"},
      paramLabel = "FILE",
      description = "Read the statements from this file: CREATE TABLE/VIEW, SET, queries.")
  Path file;

  @Option(
      names = "--from",
      paramLabel = "earliest|latest",
      defaultValue = "earliest",
      description = "Where user_events starts: the topic's first event (default) or only new ones.")
  From from;

  @Option(
      names = "--until-latest",
      description =
          "Read user_events up to the topic's end as it is now, print each query's final result,"
              + " exit 0. Without it, queries run until Ctrl-C.")
  boolean untilLatest;

  @Option(
      names = "--max-rows",
      paramLabel = "N",
      description = "Stop a query after this many changes of its result.")
  Long maxRows;

  @Option(
      names = "--format",
      paramLabel = "table|json",
      defaultValue = "table",
      description = "table for people (default), json: one JSON object per line.")
  SqlReport.Format format;

  @Option(
      names = "--grace",
      paramLabel = "DURATION",
      defaultValue = "10s",
      converter = DurationConverter.class,
      description =
          "How far the watermark trails the latest event: how late an event may be and still count in its window (default: ${DEFAULT-VALUE}).")
  Duration grace;

  @Option(
      names = "--on-error",
      paramLabel = "skip|fail",
      defaultValue = "skip",
      description =
          "A record that is not a user event (JSON, or Avro with a schema the registry has): skip"
              + " and count it (default), or fail the query with exit 1, naming the record.")
  OnError onError;

  @Option(
      names = "--parallelism",
      paramLabel = "N",
      defaultValue = "1",
      description = "Parallel tasks per operator (default: ${DEFAULT-VALUE}).")
  int parallelism;

  @Mixin JobManagerOption jobManager;

  @Option(
      names = "--checkpoint-interval",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "How often a running query's state and read positions are checkpointed, so that a job"
              + " the cluster restarts (a TaskManager lost) goes on from there with exact results;"
              + " its changes are printed once checkpointed (default: "
              + DEFAULT_CHECKPOINT_INTERVAL
              + " with --jobmanager, none in the local cluster; 0: none).")
  Duration checkpointInterval;

  @Option(
      names = "--checkpoint-dir",
      paramLabel = "URI",
      description =
          "Where the cluster keeps the checkpoints, a place every JobManager and TaskManager reaches"
              + " (file:///shared/dir, s3://...) (default: the cluster's execution.checkpointing.dir;"
              + " scripts/flink-cluster.sh and the Compose profile set one).")
  String checkpointDir;

  @Option(
      names = "--job-bootstrap-server",
      paramLabel = "HOST:PORT",
      description =
          "The brokers as the cluster's TaskManagers reach them, when that differs from"
              + " --bootstrap-server (Compose: kafka:29092) (default: --bootstrap-server).")
  String jobBootstrapServer;

  /** With --jobmanager and no --checkpoint-interval. */
  static final String DEFAULT_CHECKPOINT_INTERVAL = "2s";

  @Override
  public Integer call() throws IOException, InterruptedException {
    checkOptions();
    SqlHandOff.stopWithTheOneThatStartedThis();
    if (!SqlHandOff.flinkPresent()) {
      return SqlHandOff.run(spec.commandLine().getParseResult().originalArgs());
    }
    return new SqlSession(this).run(script());
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  private void checkOptions() {
    if (parallelism < 1) {
      throw new ParameterException(
          spec.commandLine(), "--parallelism must be at least 1, got " + parallelism);
    }
    if (checkpointInterval != null && checkpointInterval.isNegative()) {
      throw new ParameterException(spec.commandLine(), "--checkpoint-interval cannot be negative");
    }
    if (jobManager.address == null && (checkpointDir != null || jobBootstrapServer != null)) {
      throw new ParameterException(
          spec.commandLine(),
          (checkpointDir != null ? "--checkpoint-dir" : "--job-bootstrap-server")
              + " is for a Flink cluster: give --jobmanager HOST:PORT too");
    }
    if (maxRows != null && maxRows < 1) {
      throw new ParameterException(
          spec.commandLine(), "--max-rows must be at least 1, got " + maxRows);
    }
    if ((sql == null) == (file == null)) {
      throw new ParameterException(
          spec.commandLine(),
          sql == null
              ? "Give the SQL to run, as an argument or with --file"
              : "Give the SQL as an argument or with --file, not both");
    }
  }

  /** The checkpoint interval to use, or null for none. */
  Duration checkpoints() {
    if (checkpointInterval != null) {
      return checkpointInterval.isZero() ? null : checkpointInterval;
    }
    return jobManager.address == null ? null : Durations.parse(DEFAULT_CHECKPOINT_INTERVAL);
  }

  /** Where a Flink session cluster's REST API is. */
  public static final class JobManagerOption {
    @Option(
        names = "--jobmanager",
        paramLabel = "HOST:PORT",
        defaultValue = "${env:" + JOBMANAGER_ENV + "}",
        description =
            "A Flink session cluster's JobManager (its REST port, as scripts/flink-cluster.sh"
                + " prints it) (default: $"
                + JOBMANAGER_ENV
                + "; for jobs and cancel, else "
                + DEFAULT_JOBMANAGER
                + ").")
    String address;

    /** The cluster's REST API; for jobs and cancel, 127.0.0.1:8082 when none is given. */
    JobManager client(Duration timeout) {
      String given = address == null || address.isBlank() ? DEFAULT_JOBMANAGER : address;
      try {
        return new JobManager(given, timeout);
      } catch (IllegalArgumentException e) {
        throw CliException.badInput("--jobmanager: " + e.getMessage(), e);
      }
    }
  }

  static final String JOBMANAGER_ENV = "FLINK_JOBMANAGER";

  /** Where scripts/flink-cluster.sh and the Compose profile put the REST API. */
  static final String DEFAULT_JOBMANAGER = "127.0.0.1:8082";

  @Command(
      name = "jobs",
      mixinStandardHelpOptions = true,
      description =
          "The jobs of a Flink session cluster, newest first: id, state, started, name (the sql"
              + " command's are named kafka-demo: and their statement).")
  static final class Jobs implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin JobManagerOption jobManager;

    @Mixin OutputOptions output;

    @Option(
        names = "--timeout",
        paramLabel = "DURATION",
        defaultValue = "10s",
        converter = DurationConverter.class,
        description = "How long to wait for the JobManager (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() {
      List<JobManager.Job> jobs = jobManager.client(timeout).jobs();
      PrintWriter out = spec.commandLine().getOut();
      if (output.json()) {
        OutputOptions.printJson(out, jobs);
        return ExitCodes.OK;
      }
      List<List<String>> rows = new ArrayList<>();
      for (JobManager.Job job : jobs) {
        rows.add(
            List.of(
                job.id(),
                job.state(),
                Instant.ofEpochMilli(job.startTime()).truncatedTo(ChronoUnit.SECONDS).toString(),
                Durations.format(Duration.ofSeconds(job.durationMillis() / 1000)),
                job.name()));
      }
      OutputOptions.printTable(out, List.of("JOB", "STATE", "STARTED", "DURATION", "NAME"), rows);
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "cancel",
      mixinStandardHelpOptions = true,
      description = "Cancel a job of a Flink session cluster (sql jobs lists them).")
  static final class Cancel implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "JOBID", description = "The job's id, 32 hex digits.")
    String jobId;

    @Mixin JobManagerOption jobManager;

    @Option(
        names = "--timeout",
        paramLabel = "DURATION",
        defaultValue = "30s",
        converter = DurationConverter.class,
        description = "How long to wait for the job to end (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() throws InterruptedException {
      JobManager cluster = jobManager.client(timeout);
      String state;
      try {
        state = stateOf(cluster);
      } catch (IllegalArgumentException e) {
        throw CliException.badInput(e.getMessage(), e);
      }
      if (FINAL_STATES.contains(state)) {
        throw new CliException(
            "Job " + jobId + " has ended already: it is " + state, ExitCodes.FAILURE, null);
      }
      cluster.cancel(jobId);
      // The cancel is asked for; the job has ended when its state says so.
      long deadline = System.nanoTime() + timeout.toNanos();
      state = stateOf(cluster);
      while (!FINAL_STATES.contains(state) && System.nanoTime() < deadline) {
        Thread.sleep(100);
        state = stateOf(cluster);
      }
      if (!FINAL_STATES.contains(state)) {
        throw new CliException(
            "Job " + jobId + " is still " + state + " after " + Durations.format(timeout),
            ExitCodes.FAILURE,
            null);
      }
      spec.commandLine().getErr().println("Job " + jobId + " is " + state);
      return state.equals("CANCELED") ? ExitCodes.OK : ExitCodes.FAILURE;
    }

    /** The job's state; one line, exit 4, when the cluster does not know it. */
    private String stateOf(JobManager cluster) {
      String state = cluster.state(jobId);
      if (state == null) {
        throw cluster.noSuchJob(jobId);
      }
      return state;
    }
  }

  private static final Set<String> FINAL_STATES = Set.of("CANCELED", "FINISHED", "FAILED");

  /** The SQL of the argument or the file. */
  private String script() {
    if (file == null) {
      return sql;
    }
    if (Files.isDirectory(file)) {
      throw CliException.badInput("Cannot read --file " + file + ": it is a directory", null);
    }
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw CliException.badInput("Cannot read --file " + file + ": " + FileProblems.reason(e), e);
    }
  }
}
