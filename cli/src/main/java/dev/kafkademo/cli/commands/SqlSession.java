package dev.kafkademo.cli.commands;

import dev.kafkademo.cli.CliException;
import dev.kafkademo.cli.ExitCodes;
import dev.kafkademo.cli.ShutdownSignal;
import dev.kafkademo.cli.flink.JobManager;
import dev.kafkademo.cli.options.ClientKind;
import dev.kafkademo.cli.options.ConnectionOptions;
import dev.kafkademo.cli.options.RegistryOptions;
import dev.kafkademo.cli.output.SqlReport;
import dev.kafkademo.kafka.Secrets;
import dev.kafkademo.kafka.admin.Cluster;
import dev.kafkademo.sql.FlinkSql;
import dev.kafkademo.sql.SqlRunner;
import dev.kafkademo.sql.SqlScript;
import dev.kafkademo.sql.SqlScript.Statement;
import dev.kafkademo.sql.UserEventsTable;
import java.net.MalformedURLException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.runtime.client.JobCancellationException;
import org.apache.flink.runtime.util.EnvironmentInformation;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * The sql command once Flink is on the class path: the only class of the commands that names the
 * sql module's, so that kafka-demo.jar, which has no Flink, can load {@link SqlCommand} and hand it
 * on to kafka-demo-sql.jar.
 */
public final class SqlSession {
  private final SqlCommand options;

  SqlSession(SqlCommand options) {
    this.options = options;
  }

  int run(String script) {
    List<Statement> statements = SqlScript.split(script);
    if (statements.isEmpty()) {
      throw CliException.badInput(
          (options.file == null ? "The SQL" : options.file.toString()) + " holds no statement",
          null);
    }
    ConnectionOptions connection = options.connection;
    Properties client = connection.clientProperties(Map.of(), Map.of(), ClientKind.CONSUMER);
    // The broker is checked first, whatever the statements: an address that is wrong is said
    // before Flink starts.
    try (Cluster cluster = Cluster.connect(client, connection.timeout())) {
      if (readsUserEvents(statements)) {
        if (!cluster.topics().exists(options.topic.name())) {
          throw new CliException(
              "Topic "
                  + options.topic.name()
                  + " does not exist yet: produce to it first (kafka-demo producer --topic "
                  + options.topic.name()
                  + ") or check --topic",
              ExitCodes.NOT_FOUND,
              null);
        }
      }
    }
    FlinkSql.Cluster flinkCluster = null;
    JobManager jobManager = null;
    if (options.jobManager.address != null && !options.jobManager.address.isBlank()) {
      jobManager = options.jobManager.client(connection.timeout());
      flinkCluster = cluster(jobManager);
    }
    Properties forJob = client;
    if (options.jobBootstrapServer != null) {
      forJob = new Properties();
      forJob.putAll(client);
      forJob.setProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, options.jobBootstrapServer);
    }
    UserEventsTable.Registry schemas = null;
    List<String> secrets = new ArrayList<>(secrets(client));
    if (options.registry.given(connection)) {
      String url = options.registry.client(connection).url(); // checks the address
      schemas =
          new UserEventsTable.Registry(
              url, options.registry.credentials(connection), RegistryOptions.timeout(connection));
      if (schemas.userInfo() != null) {
        secrets.add(schemas.userInfo());
      }
    }
    SqlRunner runner =
        new SqlRunner(
            new SqlRunner.Settings(
                UserEventsTable.definition(
                    options.topic.name(),
                    forJob,
                    schemas,
                    options.from == SqlCommand.From.earliest,
                    options.untilLatest,
                    options.grace,
                    options.onError == SqlCommand.OnError.skip),
                new FlinkSql.Target(options.parallelism, options.checkpoints(), flinkCluster),
                options.untilLatest,
                options.maxRows == null ? Long.MAX_VALUE : options.maxRows,
                options.file == null ? null : options.file.toString()),
            new SqlReport(
                    options.format, options.untilLatest, options.out(), options.err(), secrets)
                .onCluster(jobManager == null ? null : jobManager.address()));
    // Released last, so that on Ctrl-C the JVM waits for the job's cancel and the summary.
    try (ShutdownSignal stop = ShutdownSignal.install(runner::stop)) {
      runner.run(statements);
    } catch (SqlRunner.InvalidStatementException e) {
      throw new CliException(e.getMessage(), ExitCodes.USAGE, e);
    } catch (SqlRunner.QueryFailedException e) {
      if (e.refusal().isPresent()) {
        throw e.refusal().get(); // said as every command says it: which operation on what
      }
      if (jobManager != null && runner.lastJobId() != null) {
        throw new CliException(
            onTheCluster(jobManager, runner.lastJobId(), e), ExitCodes.FAILURE, e);
      }
      throw new CliException(e.getMessage(), ExitCodes.FAILURE, e);
    }
    return ExitCodes.OK;
  }

  /**
   * The session cluster to submit to: it answers, and runs the Flink these jobs are built with; the
   * jar with the connector and the format beside this one.
   */
  private FlinkSql.Cluster cluster(JobManager jobManager) {
    String theirs = jobManager.version();
    String ours = EnvironmentInformation.getVersion();
    if (!JobManager.compatible(ours, theirs)) {
      throw new CliException(
          "The Flink cluster at "
              + jobManager.address()
              + " runs Flink "
              + theirs
              + ", and sql builds its jobs with Flink "
              + ours
              + ": submit to a Flink "
              + ours
              + " cluster (scripts/flink-cluster.sh starts one)",
          ExitCodes.FAILURE,
          null);
    }
    if (!ours.equals(theirs)) {
      options
          .err()
          .println(
              "warning: the cluster at "
                  + jobManager.address()
                  + " runs Flink "
                  + theirs
                  + ", sql builds with "
                  + ours);
    }
    Path jobJar = SqlHandOff.beside(JOB_JAR, "A job for a Flink cluster carries");
    try {
      return new FlinkSql.Cluster(
          jobManager.host(),
          jobManager.port(),
          List.of(jobJar.toUri().toURL()),
          options.checkpointDir);
    } catch (MalformedURLException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A query that failed on the cluster: the cause at the root of the job's failure, as its
   * JobManager recorded it, or Flink's own words if it recorded none.
   */
  private static String onTheCluster(
      JobManager jobManager, String jobId, SqlRunner.QueryFailedException failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof JobCancellationException) {
        return "Job "
            + jobId
            + " was cancelled on the cluster (sql cancel, or its dashboard), not by this command";
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    try {
      String root = jobManager.rootCause(jobId);
      if (root != null) {
        return "Job " + jobId + " failed on the cluster: " + JobManager.withoutPackage(root);
      }
    } catch (CliException e) {
      failure.addSuppressed(e); // the JobManager is gone too: Flink's own words below
    }
    return failure.getMessage();
  }

  static final String JOB_JAR = "kafka-demo-sql-job.jar";

  private static boolean readsUserEvents(List<Statement> statements) {
    for (Statement statement : statements) {
      if (statement.text().toLowerCase(Locale.ROOT).contains(UserEventsTable.NAME)) {
        return true;
      }
    }
    return false;
  }

  /** The values of the client settings that are secrets, by their names, as connectors masks. */
  private static List<String> secrets(Properties client) {
    return client.stringPropertyNames().stream()
        .filter(Secrets::isSecret)
        .map(client::getProperty)
        .toList();
  }
}
