package dev.kafkademo.sql;

import dev.kafkademo.sql.SqlScript.Statement;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.table.api.SqlParserException;
import org.apache.flink.table.api.ValidationException;

/**
 * Runs the statements in Flink, one after the other, and turns what Flink says when one is wrong
 * into one line: a syntax or validation error with its position ({@link
 * InvalidStatementException}), a failed query with its reason ({@link QueryFailedException}).
 */
public final class SqlRunner {
  private static final Pattern POSITION = Pattern.compile("line (\\d+), column (\\d+)");

  /** A record's text in a reason is cut here: records can be long. */
  private static final int MAX_REASON = 400;

  /**
   * @param tableDefinition the CREATE TABLE of user_events
   * @param file the file the statements come from, for error positions; null: the argument
   */
  public record Settings(
      String tableDefinition,
      FlinkSql.Target target,
      boolean untilLatest,
      long maxRows,
      String file) {}

  /** Where the rows go: each query's changes, then its end, then the run's summary. */
  public interface Output extends FlinkSql.Results {
    /** For the table's definition, which has no rows to show. */
    FlinkSql.Results quiet();

    void queryEnded(boolean stopped);

    void summary(long elapsedNanos);
  }

  /** A statement Flink cannot parse or validate: says where, in the file when there is one. */
  public static final class InvalidStatementException extends RuntimeException {
    InvalidStatementException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** A query that failed while it ran: its reason, in a line. */
  public static final class QueryFailedException extends RuntimeException {
    QueryFailedException(String message, Throwable cause) {
      super(message, cause);
    }

    /**
     * The broker's refusal that made the query fail, if one did. Flink carries a task's failure as
     * a SerializedThrowable; it is turned back into Kafka's exception here.
     */
    public java.util.Optional<org.apache.kafka.common.errors.AuthorizationException> refusal() {
      for (Throwable cause = getCause(); cause != null; cause = cause.getCause()) {
        Throwable original =
            cause instanceof org.apache.flink.util.SerializedThrowable serialized
                ? serialized.deserializeError(QueryFailedException.class.getClassLoader())
                : cause;
        if (original instanceof org.apache.kafka.common.errors.AuthorizationException refused) {
          return java.util.Optional.of(refused);
        }
        if (cause.getCause() == cause) {
          break;
        }
      }
      return java.util.Optional.empty();
    }
  }

  private final Settings settings;
  private final Output output;
  private final FlinkSql flink;

  public SqlRunner(Settings settings, Output output) {
    this.settings = settings;
    this.output = output;
    this.flink = new FlinkSql(settings.target());
  }

  /** Cancels the running query; {@link #run} then prints its result so far and the summary. */
  public void stop() {
    flink.stop();
  }

  /** The id of the last query's job, or null before the first. */
  public String lastJobId() {
    return flink.lastJobId();
  }

  public void run(List<Statement> statements) {
    long started = System.nanoTime();
    flink.execute(settings.tableDefinition(), output.quiet(), Long.MAX_VALUE);
    for (Statement statement : statements) {
      try {
        flink.execute(statement.text(), output, settings.maxRows());
      } catch (SqlParserException | ValidationException e) {
        throw new InvalidStatementException(where(statement, e.getMessage()), e);
      } catch (RuntimeException e) {
        throw new QueryFailedException("The query failed: " + reason(e), e);
      }
      output.queryEnded(flink.stopped());
      if (flink.stopped()) {
        break;
      }
    }
    output.summary(System.nanoTime() - started);
  }

  /**
   * Flink's message, first line, with its position turned into one in the file when the statement
   * comes from one (Flink counts lines from the statement's first).
   */
  private String where(Statement statement, String message) {
    String line = firstLine(message);
    if (settings.file() == null) {
      return line;
    }
    Matcher position = POSITION.matcher(line);
    StringBuilder shifted = new StringBuilder();
    while (position.find()) {
      int inFile = Integer.parseInt(position.group(1)) + statement.line() - 1;
      position.appendReplacement(shifted, "line " + inFile + ", column " + position.group(2));
    }
    position.appendTail(shifted);
    return settings.file() + ": " + shifted;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "(no reason given)";
    }
    String first = message.strip().lines().findFirst().orElse("");
    return first.endsWith(":") || first.endsWith(".")
        ? first.substring(0, first.length() - 1)
        : first;
  }

  /**
   * What made a query fail: Flink wraps the reason in job and task failures, so the last two causes
   * say it (a record that cannot be read: which one, and what is wrong with it).
   */
  static String reason(Throwable error) {
    List<String> messages = new java.util.ArrayList<>();
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof UnreadableRecordException unreadable) {
        return unreadable.getMessage(); // says which record, and why, in full
      }
      if (cause.getMessage() != null && !cause.getMessage().isBlank()) {
        messages.add(firstLine(cause.getMessage()));
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    if (messages.isEmpty()) {
      return error.getClass().getSimpleName();
    }
    String reason = messages.get(messages.size() - 1);
    if (messages.size() > 1) {
      reason = messages.get(messages.size() - 2) + " (" + reason + ")";
    }
    if (reason.length() > MAX_REASON) {
      reason = reason.substring(0, MAX_REASON - 3) + "...";
    }
    return reason.contains("deserialize")
        ? reason + "; --on-error skip leaves such records out"
        : reason;
  }
}
