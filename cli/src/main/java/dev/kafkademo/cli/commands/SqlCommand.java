package dev.kafkademo.cli.commands;

import dev.kafkademo.cli.CliException;
import dev.kafkademo.cli.FileProblems;
import dev.kafkademo.cli.options.ConnectionOptions;
import dev.kafkademo.cli.options.DurationConverter;
import dev.kafkademo.cli.options.RegistryOptions;
import dev.kafkademo.cli.options.TopicOption;
import dev.kafkademo.cli.output.SqlReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
    description = {
      "Run Flink SQL over the user-events, in a local Flink cluster inside this process. The table",
      "user_events is there already: eventId, userId, eventType, timestamp, properties (.page,",
      ".query, .item, .quantity, .amount, .currency, .method, .sessionSeconds) and event_time, the",
      "event time with a watermark --grace behind the latest event. Results go to stdout as they",
      "change (+I added, -U/+U updated, -D retracted); the summary to stderr.",
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
      description = "Parallel tasks per operator in the local cluster (default: ${DEFAULT-VALUE}).")
  int parallelism;

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
