package dev.kafkademo.sql;

import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.ResultKind;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.config.ExecutionConfigOptions;
import org.apache.flink.table.api.config.TableConfigOptions;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

/**
 * Flink SQL: each statement planned here and run either in a local Flink cluster inside this
 * process (Flink's MiniCluster) or, with a {@link Cluster}, as a job on a Flink session cluster,
 * submitted through its JobManager's REST API with the jars its tasks need; a query's changing
 * result comes back row by row either way. Times in UTC, so that window starts read the same as the
 * events' timestamps.
 */
public final class FlinkSql {
  /** What a statement gives back. */
  public interface Results {
    /** A query's columns and their SQL types, before its first row. */
    void columns(List<String> names, List<String> types);

    /**
     * One change of the result: {@code +I} a row added, {@code -U}/{@code +U} a row updated (old,
     * new), {@code -D} a row retracted.
     */
    void change(String kind, List<Object> values);

    /** A statement that is not a query (CREATE TABLE, SET, ...) ran. */
    void done(String statement);

    /** A query's job was submitted, before its columns. */
    default void submitted(String jobId, String jobName) {}
  }

  /**
   * A Flink session cluster to submit the queries to.
   *
   * @param jars what the job's tasks need beyond Flink (the connector, the format), uploaded with
   *     each job
   * @param checkpointDir where the cluster keeps the job's checkpoints; null: the cluster's own
   *     setting
   */
  public record Cluster(String host, int port, List<URL> jars, String checkpointDir) {}

  /**
   * @param parallelism how many parallel tasks each operator gets
   * @param checkpointInterval how often a running query's state is checkpointed; null: never
   * @param cluster where the queries run; null: in this process
   */
  public record Target(int parallelism, Duration checkpointInterval, Cluster cluster) {}

  /** A job's name is this and the start of its statement, on one line. */
  static final String JOB_NAME_PREFIX = "kafka-demo: ";

  private static final int JOB_NAME_LENGTH = 80;

  private final TableEnvironment tables;
  private final AtomicReference<CloseableIterator<Row>> running = new AtomicReference<>();
  private final AtomicBoolean stopped = new AtomicBoolean();
  private final AtomicReference<JobClient> job = new AtomicReference<>();
  private final boolean onCluster;

  public FlinkSql(Target target) {
    Configuration config = new Configuration();
    config.set(CoreOptions.DEFAULT_PARALLELISM, target.parallelism());
    Cluster cluster = target.cluster();
    this.onCluster = cluster != null;
    if (cluster == null) {
      config.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
      config.set(RestOptions.BIND_PORT, "0");
    } else {
      config.set(DeploymentOptions.TARGET, "remote");
      config.set(RestOptions.ADDRESS, cluster.host());
      config.set(RestOptions.PORT, cluster.port());
      config.set(PipelineOptions.JARS, cluster.jars().stream().map(URL::toString).toList());
      if (cluster.checkpointDir() != null) {
        config.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, cluster.checkpointDir());
      }
    }
    if (target.checkpointInterval() != null) {
      config.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, target.checkpointInterval());
    }
    config.set(TableConfigOptions.LOCAL_TIME_ZONE, "UTC");
    // A partition that gets no events holds no window back.
    config.set(
        ExecutionConfigOptions.TABLE_EXEC_SOURCE_IDLE_TIMEOUT, java.time.Duration.ofSeconds(2));
    this.tables =
        TableEnvironment.create(
            EnvironmentSettings.newInstance().inStreamingMode().withConfiguration(config).build());
  }

  /** Runs one statement; a query until its result is complete, {@link #stop}, or maxRows. */
  public void execute(String statement, Results results, long maxRows) {
    if (stopped.get()) {
      return;
    }
    String jobName = jobName(statement);
    tables.getConfig().set(PipelineOptions.NAME, jobName);
    TableResult result = tables.executeSql(statement);
    if (result.getResultKind() == ResultKind.SUCCESS) {
      results.done(statement);
      return;
    }
    result
        .getJobClient()
        .ifPresent(
            submitted -> {
              job.set(submitted);
              results.submitted(submitted.getJobID().toHexString(), jobName);
            });
    List<String> names = new ArrayList<>();
    List<String> types = new ArrayList<>();
    for (Column column : result.getResolvedSchema().getColumns()) {
      names.add(column.getName());
      types.add(column.getDataType().getLogicalType().asSummaryString());
    }
    results.columns(names, types);
    long rows = 0;
    try (CloseableIterator<Row> changes = result.collect()) {
      running.set(changes);
      if (stopped.get()) {
        return;
      }
      while (rows < maxRows && changes.hasNext()) {
        Row row = changes.next();
        List<Object> values = new ArrayList<>(row.getArity());
        for (int i = 0; i < row.getArity(); i++) {
          values.add(row.getField(i));
        }
        results.change(row.getKind().shortString(), values);
        rows++;
      }
    } catch (Exception e) {
      if (!stopped.get()) {
        throw e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
      }
    } finally {
      running.set(null);
    }
  }

  /**
   * Ends the running query (its job is cancelled) and every statement after it. A job on a cluster
   * outlives this process: it is cancelled there first, and this returns once the cluster says it
   * ended (or says, on stderr, that it may still run).
   */
  public void stop() {
    stopped.set(true);
    JobClient submitted = job.get();
    if (onCluster && submitted != null) {
      cancelOnTheCluster(submitted);
    }
    CloseableIterator<Row> changes = running.get();
    if (changes != null) {
      try {
        changes.close();
      } catch (Exception e) {
        // cancelling: what the job says now does not matter
      }
    }
  }

  private static void cancelOnTheCluster(JobClient submitted) {
    long deadline = System.nanoTime() + CANCEL_TIMEOUT.toNanos();
    try {
      JobStatus status = submitted.getJobStatus().get(CANCEL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      if (!status.isGloballyTerminalState()) {
        submitted.cancel().get(CANCEL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      }
      while (!status.isGloballyTerminalState() && System.nanoTime() < deadline) {
        Thread.sleep(100);
        status = submitted.getJobStatus().get(CANCEL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      }
      if (!status.isGloballyTerminalState()) {
        warnStillRunning(submitted, "it is still " + status);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      warnStillRunning(submitted, "interrupted");
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      warnStillRunning(submitted, e.getCause() != null ? e.getCause().toString() : e.toString());
    }
  }

  private static void warnStillRunning(JobClient job, String why) {
    System.err.println(
        "warning: job "
            + job.getJobID()
            + " may still run on the cluster ("
            + why
            + "): sql cancel "
            + job.getJobID()
            + " ends it");
  }

  /** How long a cancel on the cluster is waited for. */
  private static final Duration CANCEL_TIMEOUT = Duration.ofSeconds(30);

  public boolean stopped() {
    return stopped.get();
  }

  /** The id of the last query's job, or null before the first. */
  public String lastJobId() {
    JobClient last = job.get();
    return last == null ? null : last.getJobID().toHexString();
  }

  /** {@code kafka-demo: } and the statement's first words, on one line. */
  static String jobName(String statement) {
    String words = statement.strip().replaceAll("\\s+", " ");
    if (words.length() > JOB_NAME_LENGTH) {
      int cut = words.lastIndexOf(' ', JOB_NAME_LENGTH);
      words = words.substring(0, cut > 0 ? cut : JOB_NAME_LENGTH) + " ...";
    }
    return JOB_NAME_PREFIX + words;
  }
}
