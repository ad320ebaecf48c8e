package dev.kafkademo.connect;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.kafkademo.events.EventJson;
import dev.kafkademo.events.InvalidEventException;
import dev.kafkademo.events.UserEvent;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.transforms.Transformation;

/**
 * A single message transform for sink connectors: a user-event, as the JSON text the producer wrote
 * (read with {@code StringConverter}), becomes a typed row: {@code event_id}, {@code user_id},
 * {@code event_type}, {@code event_time} (a timestamp with time zone) and {@code properties} (the
 * properties object as JSON text, exactly as written). A JDBC sink needs typed values to create and
 * fill a table; schemaless JSON has none.
 *
 * <p>The event is read with the same parser as the consumer's, so what the consumer calls invalid
 * is a {@link DataException} here, which Connect's {@code errors.tolerance=all} sends to the
 * dead-letter topic with the reason in its headers.
 *
 * <p>Written here because no transform shipped with Kafka or Debezium turns a nested JSON object
 * into a JSON text column. Use: {@code transforms=row}, {@code
 * transforms.row.type=dev.kafkademo.connect.UserEventRow}.
 */
public final class UserEventRow<R extends ConnectRecord<R>> implements Transformation<R> {
  /**
   * A point in time as ISO-8601 text, which Debezium's JDBC sink writes to a {@code timestamp with
   * time zone} column. Not Connect's {@code Timestamp}: the sink's batched PostgreSQL insert
   * (UNNEST) drops its milliseconds.
   */
  static final Schema ZONED_TIMESTAMP =
      SchemaBuilder.string().name("io.debezium.time.ZonedTimestamp").version(1).build();

  /** The row: one column per field, in this order. */
  public static final Schema ROW =
      SchemaBuilder.struct()
          .name("dev.kafkademo.UserEventRow")
          .field("event_id", Schema.STRING_SCHEMA)
          .field("user_id", Schema.STRING_SCHEMA)
          .field("event_type", Schema.STRING_SCHEMA)
          .field("event_time", ZONED_TIMESTAMP)
          .field("properties", Schema.STRING_SCHEMA)
          .build();

  @Override
  public R apply(R record) {
    if (record.value() == null) {
      return record; // a tombstone: nothing to write
    }
    UserEvent event;
    try {
      event = EventJson.parse(bytes(record.value()));
    } catch (InvalidEventException e) {
      throw new DataException("not a user event: " + e.getMessage(), e);
    }
    Struct row =
        new Struct(ROW)
            .put("event_id", event.eventId().toString())
            .put("user_id", event.userId())
            .put("event_type", event.eventType().jsonName())
            .put("event_time", event.timestamp().toString())
            .put("properties", json(event.properties()));
    return record.newRecord(
        record.topic(),
        record.kafkaPartition(),
        record.keySchema(),
        record.key(),
        ROW,
        row,
        record.timestamp());
  }

  private static byte[] bytes(Object value) {
    if (value instanceof byte[] raw) {
      return raw;
    }
    if (value instanceof String text) {
      return text.getBytes(StandardCharsets.UTF_8);
    }
    throw new DataException(
        "expected the event as text (value.converter StringConverter or ByteArrayConverter), got "
            + value.getClass().getSimpleName());
  }

  private static String json(Map<String, Object> properties) {
    try {
      return EventJson.mapper().writeValueAsString(properties);
    } catch (JsonProcessingException e) {
      throw new DataException("properties cannot be written as JSON: " + e.getMessage(), e);
    }
  }

  @Override
  public ConfigDef config() {
    return new ConfigDef();
  }

  @Override
  public void configure(Map<String, ?> configs) {}

  @Override
  public void close() {}
}
