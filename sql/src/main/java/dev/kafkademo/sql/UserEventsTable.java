package dev.kafkademo.sql;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * The table {@code user_events} that every query can use without a CREATE TABLE: the topic's events
 * (JSON or registry-framed Avro, as the consumer reads them) as columns, {@code properties} as a
 * row of typed fields (the same ones as the Avro schema's), and {@code event_time} (the event's own
 * {@code timestamp}) as event time, with a watermark that trails the latest event by the grace
 * period, as the streams command's windows do.
 */
public final class UserEventsTable {
  public static final String NAME = "user_events";

  /** Client settings the Flink connector sets itself, or that a query must not change. */
  private static final Set<String> SET_BY_FLINK =
      Set.of(
          "key.deserializer",
          "value.deserializer",
          "group.id",
          "auto.offset.reset",
          "enable.auto.commit",
          ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG);

  private UserEventsTable() {}

  /** The schema registry that Avro values' writer schemas come from. */
  public record Registry(String url, String userInfo, Duration timeout) {}

  /**
   * @param client the Kafka client settings (address, security), passed to the connector as {@code
   *     properties.*}
   * @param registry where Avro values' schemas are; null: none named (Avro values are not read)
   * @param fromEarliest the table starts at the topic's first record; else only new ones
   * @param untilLatest the table ends at the topic's end as it was when the query started
   * @param skipInvalid records that are not user events are left out; else the query fails
   */
  public static String definition(
      String topic,
      Properties client,
      Registry registry,
      boolean fromEarliest,
      boolean untilLatest,
      Duration grace,
      boolean skipInvalid) {
    Map<String, String> options = new TreeMap<>();
    options.put("connector", "kafka");
    options.put("topic", topic);
    // JSON and registry-framed Avro, as the consumer reads them (UserEventsFormatFactory).
    String format = UserEventsFormatFactory.IDENTIFIER;
    options.put("format", format);
    options.put(format + "." + UserEventsFormatFactory.SKIP_INVALID.key(), "" + skipInvalid);
    if (registry != null) {
      options.put(format + "." + UserEventsFormatFactory.REGISTRY_URL.key(), registry.url());
      options.put(
          format + "." + UserEventsFormatFactory.REGISTRY_TIMEOUT.key(),
          registry.timeout().toMillis() + " ms");
      if (registry.userInfo() != null) {
        options.put(
            format + "." + UserEventsFormatFactory.REGISTRY_USER_INFO.key(), registry.userInfo());
      }
    }
    if (!skipInvalid) {
      // So that the record that fails the query is named by its position.
      options.put(
          "properties." + ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG,
          RecordPositions.class.getName());
    }
    // The watermark moves with every event, as a Kafka Streams task's stream time does; emitted
    // only every 200 ms (Flink's default), an input read in one go would have none, and an event
    // behind its window's end plus --grace would still count.
    options.put("scan.watermark.emit.strategy", "on-event");
    options.put("scan.startup.mode", fromEarliest ? "earliest-offset" : "latest-offset");
    if (untilLatest) {
      options.put("scan.bounded.mode", "latest-offset");
    }
    for (String key : client.stringPropertyNames()) {
      if (!SET_BY_FLINK.contains(key)) {
        options.put("properties." + key, client.getProperty(key));
      }
    }
    StringBuilder ddl = new StringBuilder();
    ddl.append("CREATE TABLE ").append(NAME).append(" (\n");
    ddl.append("  eventId STRING,\n");
    ddl.append("  userId STRING,\n");
    ddl.append("  eventType STRING,\n");
    ddl.append("  `timestamp` TIMESTAMP_LTZ(3),\n");
    ddl.append("  properties ROW<\n");
    ddl.append("    `method` STRING, sessionSeconds BIGINT, page STRING, `query` STRING,\n");
    ddl.append("    item STRING, quantity INT, amount DECIMAL(12, 2), currency STRING>,\n");
    ddl.append("  event_time AS `timestamp`,\n");
    ddl.append("  WATERMARK FOR event_time AS event_time - ").append(interval(grace)).append('\n');
    ddl.append(") WITH (\n");
    String separator = "";
    for (Map.Entry<String, String> option : options.entrySet()) {
      ddl.append(separator)
          .append("  ")
          .append(literal(option.getKey()))
          .append(" = ")
          .append(literal(option.getValue()));
      separator = ",\n";
    }
    return ddl.append("\n)").toString();
  }

  /** A duration as a day-time interval literal, to the millisecond. */
  static String interval(Duration duration) {
    return String.format(
        "INTERVAL '%d %02d:%02d:%02d.%03d' DAY TO SECOND(3)",
        duration.toDays(),
        duration.toHoursPart(),
        duration.toMinutesPart(),
        duration.toSecondsPart(),
        duration.toMillisPart());
  }

  /** A SQL string literal: quotes doubled. */
  static String literal(String text) {
    return "'" + text.replace("'", "''") + "'";
  }
}
