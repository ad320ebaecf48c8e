package dev.kafkademo.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kafkademo.events.EventJson;
import dev.kafkademo.events.InvalidEventException;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

/** The transform as a sink task calls it: one record in, the row out (as Debezium tests theirs). */
class UserEventRowTest {
  private static final String EVENT =
      "{\"eventId\":\"0b8d2f9e-3c1a-4c5e-9a6b-2f1d3e4c5b6a\",\"userId\":\"user-42\","
          + "\"eventType\":\"purchase\",\"timestamp\":\"2026-12-04T10:15:30.123Z\","
          + "\"properties\":{\"item\":\"book\",\"amount\":12.5,\"quantity\":2}}";

  private final UserEventRow<SinkRecord> row = new UserEventRow<>();

  private static SinkRecord record(Object value) {
    return new SinkRecord(
        "user-events",
        2,
        Schema.STRING_SCHEMA,
        "user-42",
        null,
        value,
        17L,
        1_700_000_000_000L,
        org.apache.kafka.common.record.TimestampType.CREATE_TIME);
  }

  @Test
  void anEventBecomesATypedRowWithItsKeyPartitionAndTimestamp() {
    SinkRecord out = row.apply(record(EVENT));

    assertEquals(UserEventRow.ROW, out.valueSchema());
    Struct value = (Struct) out.value();
    assertEquals("0b8d2f9e-3c1a-4c5e-9a6b-2f1d3e4c5b6a", value.get("event_id"));
    assertEquals("user-42", value.get("user_id"));
    assertEquals("purchase", value.get("event_type"));
    assertEquals("2026-12-04T10:15:30.123Z", value.get("event_time"), "milliseconds kept");
    assertEquals("{\"item\":\"book\",\"amount\":12.5,\"quantity\":2}", value.get("properties"));
    assertEquals("user-42", out.key());
    assertEquals(2, out.kafkaPartition());
    assertEquals(1_700_000_000_000L, out.timestamp());
  }

  @Test
  void bytesAreReadLikeText() {
    Struct value = (Struct) row.apply(record(EVENT.getBytes(StandardCharsets.UTF_8))).value();

    assertEquals("user-42", value.get("user_id"));
  }

  @Test
  void aTombstonePassesUnchanged() {
    SinkRecord tombstone = record(null);

    assertSame(tombstone, row.apply(tombstone));
  }

  @Test
  void whatIsNotAnEventIsADataExceptionWithTheParsersReasonForTheDeadLetterTopic() {
    for (String value : new String[] {"hello", EVENT.replace("purchase", "teleport"), "{}"}) {
      DataException refused = assertThrows(DataException.class, () -> row.apply(record(value)));
      assertEquals("not a user event: " + parserReason(value), refused.getMessage());
    }

    DataException notText =
        assertThrows(DataException.class, () -> row.apply(record(java.util.List.of(1))));
    assertEquals(
        "expected the event as text (value.converter StringConverter or ByteArrayConverter),"
            + " got List12",
        notText.getMessage());
  }

  private static String parserReason(String value) {
    InvalidEventException invalid =
        assertThrows(
            InvalidEventException.class,
            () -> EventJson.parse(value.getBytes(StandardCharsets.UTF_8)));
    return invalid.getMessage();
  }
}
