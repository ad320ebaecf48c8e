package dev.kafkademo.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.RestOptions;
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
 * Flink SQL in this process: a local Flink cluster (Flink's MiniCluster) that runs each statement
 * and hands a query's changing result over row by row. Times in UTC, so that window starts read the
 * same as the events' timestamps.
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
  }

  private final TableEnvironment tables;
  private final AtomicReference<CloseableIterator<Row>> running = new AtomicReference<>();
  private final AtomicBoolean stopped = new AtomicBoolean();

  /**
   * @param parallelism how many parallel tasks each operator gets
   */
  public FlinkSql(int parallelism) {
    Configuration config = new Configuration();
    config.set(CoreOptions.DEFAULT_PARALLELISM, parallelism);
    config.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
    config.set(RestOptions.BIND_PORT, "0");
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
    TableResult result = tables.executeSql(statement);
    if (result.getResultKind() == ResultKind.SUCCESS) {
      results.done(statement);
      return;
    }
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

  /** Ends the running query (its job is cancelled) and every statement after it. */
  public void stop() {
    stopped.set(true);
    CloseableIterator<Row> changes = running.get();
    if (changes != null) {
      try {
        changes.close();
      } catch (Exception e) {
        // cancelling: what the job says now does not matter
      }
    }
  }

  public boolean stopped() {
    return stopped.get();
  }
}
