package dev.kafkademo.cli.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kafkademo.cli.options.OutputOptions;
import dev.kafkademo.events.EventJson;
import dev.kafkademo.sql.FlinkSql;
import dev.kafkademo.sql.SkippedRecords;
import dev.kafkademo.sql.SqlRunner;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prints what the queries give back. Running on (no --until-latest): every change as it comes, with
 * its kind. Until the latest event: the changes applied one after the other, and the result they
 * leave printed once the query has read everything, rows in order of their values. Tables for
 * people, one JSON object per line for scripts; the summary on stderr.
 */
public final class SqlReport implements SqlRunner.Output {
  /** How results are shown. */
  public enum Format {
    table,
    json
  }

  private static final DateTimeFormatter LOCAL_TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS", Locale.ROOT);

  private final SqlReport.Format format;
  private final boolean finalOnly;
  private final PrintWriter out;
  private final PrintWriter err;

  /**
   * The client's secrets (passwords, JAAS configs), passed to Flink in the table's options: a query
   * can show them (SHOW CREATE TABLE user_events); they are masked wherever they appear.
   */
  private final List<String> secrets;

  private List<String> columns = List.of();
  private int[] widths = new int[0];

  /** Until the latest event: the result so far, each row with how many times it is there. */
  private final Map<List<Object>, Integer> result = new LinkedHashMap<>();

  private long changes;
  private long queries;
  private long rowsPrinted;

  public SqlReport(
      SqlReport.Format format,
      boolean finalOnly,
      PrintWriter out,
      PrintWriter err,
      List<String> secrets) {
    this.format = format;
    this.finalOnly = finalOnly;
    this.out = out;
    this.err = err;
    this.secrets = secrets.stream().filter(s -> !s.isBlank()).toList();
  }

  private String jobManager;

  /** The queries run as jobs of the Flink cluster at this address: each job's id is said. */
  public SqlReport onCluster(String address) {
    this.jobManager = address;
    return this;
  }

  @Override
  public void submitted(String jobId, String jobName) {
    if (jobManager != null) {
      err.println("Job " + jobId + " on " + jobManager + ": " + hide(jobName));
      err.flush();
    }
  }

  /** Takes what a statement gives back without printing it: the table definitions. */
  @Override
  public FlinkSql.Results quiet() {
    return new FlinkSql.Results() {
      @Override
      public void columns(List<String> names, List<String> types) {}

      @Override
      public void change(String kind, List<Object> values) {}

      @Override
      public void done(String statement) {}
    };
  }

  @Override
  public void columns(List<String> names, List<String> types) {
    queries++;
    columns = names;
    result.clear();
    widths = new int[names.size()];
    for (int i = 0; i < names.size(); i++) {
      widths[i] = Math.max(names.get(i).length(), typeWidth(types.get(i)));
    }
    if (!finalOnly && format == SqlReport.Format.table) {
      printLine("op", names);
    }
  }

  @Override
  public void change(String kind, List<Object> values) {
    changes++;
    if (finalOnly) {
      boolean adds = kind.equals("+I") || kind.equals("+U");
      result.merge(values, adds ? 1 : -1, (a, b) -> a + b == 0 ? null : a + b);
      return;
    }
    print(kind, values);
  }

  @Override
  public void done(String statement) {
    String first = hide(statement.strip().lines().findFirst().orElse(""));
    err.println("ok: " + (first.length() > 60 ? first.substring(0, 57) + "..." : first));
  }

  /** A query ended: until the latest event, its result is printed now. */
  @Override
  public void queryEnded(boolean stopped) {
    if (finalOnly && !columns.isEmpty()) {
      List<List<Object>> rows = new ArrayList<>();
      result.forEach(
          (row, times) -> {
            for (int i = 0; i < times; i++) {
              rows.add(row);
            }
          });
      rows.sort(SqlReport::compareRows);
      if (format == SqlReport.Format.table) {
        List<List<String>> cells = new ArrayList<>();
        for (List<Object> row : rows) {
          cells.add(row.stream().map(this::shown).toList());
        }
        OutputOptions.printTable(out, columns, cells);
      } else {
        rows.forEach(row -> print(null, row));
      }
      rowsPrinted += rows.size();
      if (stopped) {
        err.println("(stopped before the end: the result so far)");
      }
    }
    columns = List.of();
    out.flush();
  }

  @Override
  public void summary(long nanos) {
    String took = String.format(Locale.ROOT, "%.1f s", Duration.ofNanos(nanos).toMillis() / 1000.0);
    err.println(
        queries
            + (queries == 1 ? " query, " : " queries, ")
            + changes
            + (changes == 1 ? " change" : " changes")
            + (finalOnly ? ", " + rowsPrinted + " rows in the final results" : "")
            + " in "
            + took);
    long skipped = SkippedRecords.count();
    if (skipped > 0) {
      err.println(
          "Left out "
              + skipped
              + (skipped == 1 ? " record that is" : " records that are")
              + " not a user event (the first: "
              + SkippedRecords.firstReason()
              + "); --on-error fail stops at the first instead");
    }
  }

  private void print(String kind, List<Object> values) {
    if (format == SqlReport.Format.json) {
      ObjectNode json = EventJson.mapper().createObjectNode();
      if (kind != null) {
        json.put("op", kind);
      }
      for (int i = 0; i < values.size(); i++) {
        Object value = values.get(i);
        putJson(json, columns.get(i), value instanceof String text ? hide(text) : value);
      }
      try {
        out.println(EventJson.mapper().writeValueAsString(json));
      } catch (JsonProcessingException e) {
        throw new UncheckedIOException(e);
      }
    } else {
      printLine(kind, values.stream().map(this::shown).toList());
    }
    if (!finalOnly) {
      out.flush(); // a running query's changes show as they come
    }
  }

  private void printLine(String first, List<String> cells) {
    StringBuilder line = new StringBuilder(String.format("%-4s", first));
    for (int i = 0; i < cells.size(); i++) {
      widths[i] = Math.max(widths[i], cells.get(i).length());
      line.append(
          i + 1 < cells.size()
              ? String.format("%-" + (widths[i] + 2) + "s", cells.get(i))
              : cells.get(i));
    }
    out.println(line.toString().stripTrailing());
  }

  private static void putJson(ObjectNode json, String name, Object value) {
    if (value == null) {
      json.putNull(name);
    } else if (value instanceof Long n) {
      json.put(name, n);
    } else if (value instanceof Integer n) {
      json.put(name, n);
    } else if (value instanceof Double n) {
      json.put(name, n);
    } else if (value instanceof BigDecimal n) {
      json.put(name, n);
    } else if (value instanceof Boolean b) {
      json.put(name, b);
    } else {
      json.put(name, text(value));
    }
  }

  private String shown(Object value) {
    return hide(text(value));
  }

  private String hide(String text) {
    String hidden = text;
    for (String secret : secrets) {
      hidden = hidden.replace(secret, "********");
    }
    return hidden;
  }

  /** A value as it reads in a table: times in ISO-8601, decimals as written. */
  public static String text(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof BigDecimal decimal) {
      return decimal.toPlainString();
    }
    if (value instanceof LocalDateTime time) {
      return LOCAL_TIME.format(time);
    }
    if (value instanceof Instant instant) {
      return instant.toString();
    }
    return value.toString();
  }

  /** Room for a column before its first value: times and numbers have a known width. */
  private static int typeWidth(String type) {
    String upper = type.toUpperCase(Locale.ROOT);
    if (upper.startsWith("TIMESTAMP")) {
      return 24;
    }
    if (upper.startsWith("BIGINT")
        || upper.startsWith("DECIMAL")
        || upper.startsWith("STRING")
        || upper.startsWith("VARCHAR")) {
      return 12; // a user id, an event type, a total
    }
    return 8;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static int compareRows(List<Object> a, List<Object> b) {
    for (int i = 0; i < a.size(); i++) {
      Object x = a.get(i);
      Object y = b.get(i);
      int c;
      if (x == null || y == null) {
        c = x == null ? (y == null ? 0 : -1) : 1;
      } else if (x instanceof Comparable comparable && x.getClass() == y.getClass()) {
        c = comparable.compareTo(y);
      } else {
        c = Comparator.<String>naturalOrder().compare(text(x), text(y));
      }
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }
}
