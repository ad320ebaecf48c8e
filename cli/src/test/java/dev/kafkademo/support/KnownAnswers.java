package dev.kafkademo.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kafkademo.events.EventJson;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The three answers of {@code sql/user-events.sql} (events per type and minute, revenue per user
 * and currency, sessions) as lines, from the sql command's JSON output or from what the streams
 * command writes for the same topic; and what they are over {@link KnownEvents}.
 */
public record KnownAnswers(List<String> counts, List<String> revenue, List<String> sessions) {
  /**
   * Over {@link KnownEvents}: the late page view (30 s, read after the 3 h event) is in no window
   * and no session; the record that is not an event is skipped. At the end of the input every
   * window closes.
   */
  public static final KnownAnswers OF_KNOWN_EVENTS =
      new KnownAnswers(
          List.of(
              "2026-11-01T10:00:00.000 login 2",
              "2026-11-01T10:00:00.000 page_view 1",
              "2026-11-01T10:00:00.000 purchase 1",
              "2026-11-01T10:01:00.000 purchase 2",
              "2026-11-01T10:40:00.000 page_view 1",
              "2026-11-01T13:00:00.000 login 1"),
          List.of("user-1 EUR 20.00 2", "user-2 USD 5.00 1"),
          List.of(
              "user-1 10:00:00 10:01:10 4",
              "user-2 10:00:30 10:01:05 2",
              "user-2 10:40:00 10:40:00 1",
              "user-3 13:00:00 13:00:00 1"));

  /** From {@code sql --file sql/user-events.sql --until-latest --format json}'s stdout. */
  public static KnownAnswers ofSql(List<String> jsonLines) throws IOException {
    List<String> counts = new ArrayList<>();
    List<String> revenue = new ArrayList<>();
    List<String> sessions = new ArrayList<>();
    for (String line : jsonLines) {
      JsonNode row = EventJson.mapper().readTree(line);
      if (row.has("window_start")) {
        counts.add(line(row, "window_start", "eventType", "events"));
      } else if (row.has("total")) {
        revenue.add(line(row, "userId", "currency", "total", "purchases"));
      } else {
        sessions.add(line(row, "userId", "session_start", "last_event", "events"));
      }
    }
    return new KnownAnswers(counts, revenue, sessions);
  }

  /**
   * Runs the streams command on the topic until it has caught up and checks that what it has
   * closed, these answers have the same; these also close the last window and session, which
   * streams keeps open for later events.
   */
  public void assertStreamsAgrees(String bootstrap, String topic, Path stateDir)
      throws IOException {
    Cli.Result streams =
        Cli.run(
            "streams",
            "-b",
            bootstrap,
            "-t",
            topic,
            "--application-id",
            Names.unique("sql-vs-streams"),
            "--state-dir",
            stateDir.toString(),
            "--http-port",
            "0",
            "--stop-when-caught-up",
            "--format",
            "none");
    assertEquals(0, streams.exitCode(), streams::toString);
    List<String> streamsCounts = new ArrayList<>();
    for (JsonNode count : values(bootstrap, topic + ".counts-per-type")) {
      streamsCounts.add(line(count, "windowStart", "eventType", "count").replace("Z", ".000"));
    }
    assertEquals(counts.subList(0, counts.size() - 1), streamsCounts);
    TreeSet<String> streamsRevenue = new TreeSet<>();
    for (JsonNode total : values(bootstrap, topic + ".revenue")) {
      String key = line(total, "userId", "currency");
      streamsRevenue.removeIf(r -> r.startsWith(key + " "));
      streamsRevenue.add(line(total, "userId", "currency", "total", "purchases"));
    }
    assertEquals(revenue, List.copyOf(streamsRevenue), "the latest total per user and currency");
    List<String> streamsSessions = new ArrayList<>();
    for (JsonNode session : values(bootstrap, topic + ".sessions")) {
      streamsSessions.add(line(session, "userId", "start", "end", "events"));
    }
    streamsSessions.sort(null);
    assertEquals(sessions.subList(0, sessions.size() - 1), streamsSessions);
  }

  private static String line(JsonNode row, String... names) {
    List<String> values = new ArrayList<>();
    for (String name : names) {
      JsonNode value = row.get(name);
      String text = value.isBigDecimal() ? value.decimalValue().toPlainString() : value.asText();
      boolean time = text.matches("\\d{4}-\\d\\d-\\d\\dT.*") && !name.startsWith("window");
      values.add(time ? text.substring(11, 19) : text);
    }
    return String.join(" ", values);
  }

  private static List<JsonNode> values(String bootstrap, String topic) throws IOException {
    List<JsonNode> values = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : RawRecords.readAll(bootstrap, topic)) {
      values.add(EventJson.mapper().readTree(record.value()));
    }
    return values;
  }
}
