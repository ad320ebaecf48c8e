package dev.kafkademo.cli.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kafkademo.events.EventJson;
import dev.kafkademo.events.InvalidEventException;
import dev.kafkademo.events.UserEvent;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/** CEL filters over records as the consumer reads them: what shows, and what is refused. */
class CelFilterTest {
  private static final String PURCHASE =
      "{\"eventId\":\"4f7c9a52-52c5-4c84-9c5e-7e1b7c2b1d10\",\"userId\":\"user-7\","
          + "\"eventType\":\"purchase\",\"timestamp\":\"2026-12-04T10:00:00Z\","
          + "\"properties\":{\"item\":\"book\",\"amount\":149.99,\"quantity\":2,"
          + "\"gift\":null,\"meta\":{\"ref\":null},\"tags\":[\"a\",\"b\"]}}";

  private static ConsumerRecord<byte[], byte[]> record(
      String key, String value, String... headers) {
    RecordHeaders recordHeaders = new RecordHeaders();
    for (int i = 0; i < headers.length; i += 2) {
      recordHeaders.add(
          new RecordHeader(headers[i], headers[i + 1].getBytes(StandardCharsets.UTF_8)));
    }
    return new ConsumerRecord<>(
        "user-events",
        2,
        41,
        1_765_000_000_000L,
        TimestampType.CREATE_TIME,
        -1,
        -1,
        key == null ? null : key.getBytes(StandardCharsets.UTF_8),
        value.getBytes(StandardCharsets.UTF_8),
        recordHeaders,
        Optional.empty());
  }

  private static boolean shows(String expression, ConsumerRecord<byte[], byte[]> record) {
    return CelFilter.compile(expression, false).shows(record, event(record));
  }

  private static UserEvent event(ConsumerRecord<byte[], byte[]> record) {
    try {
      return EventJson.parse(record.value());
    } catch (InvalidEventException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void theIssuesExampleSelectsPurchasesOverAnAmount() {
    var record = record("user-7", PURCHASE);
    assertTrue(shows("value.eventType == \"purchase\" && value.properties.amount > 100.0", record));
    assertFalse(
        shows("value.eventType == \"purchase\" && value.properties.amount > 200.0", record));
    // JSON integers and decimals compare with either kind of literal.
    assertTrue(shows("value.properties.amount > 100 && value.properties.quantity >= 2.0", record));
    assertTrue(shows("value.properties.quantity == 2", record));
  }

  @Test
  void keyHeadersAndPositionAreThere() {
    var record = record("user-7", PURCHASE, "source", "web", "trace-id", "abc");
    assertTrue(shows("key == \"user-7\" && key.startsWith(\"user-\")", record));
    assertTrue(shows("headers[\"source\"] == \"web\"", record));
    assertTrue(shows("\"trace-id\" in headers && !(\"missing\" in headers)", record));
    assertTrue(shows("partition == 2 && offset == 41 && timestamp > 1700000000000", record));
    assertTrue(shows("value.userId == key && value.properties.tags.size() == 2", record));
    // A null property is no property (as events are read); a nested null is CEL's null.
    assertTrue(shows("!has(value.properties.gift) && value.properties.meta.ref == null", record));
    assertTrue(shows("key == \"\"", record(null, PURCHASE)));
  }

  @Test
  void rawRecordsAreFilteredAsText() {
    var record = record("k", "ERROR disk full");
    CelFilter filter = CelFilter.compile("value.contains(\"ERROR\")", true);
    assertTrue(filter.shows(record, null));
    assertFalse(filter.shows(record("k", "INFO ok"), null));
    assertTrue(CelFilter.compile("value.matches(\"^[A-Z]+ \")", true).shows(record, null));
  }

  @Test
  void aRecordWithoutTheFieldIsNotShownAndTheFirstFailureIsKept() {
    CelFilter filter = CelFilter.compile("value.properties.price > 1.0", false);
    var record = record("user-7", PURCHASE);
    assertFalse(filter.shows(record, event(record)));
    assertFalse(filter.shows(record, event(record)));
    assertEquals(2, filter.failures());
    assertTrue(filter.firstFailure().startsWith("user-events-2@41: "), filter.firstFailure());
    assertTrue(filter.firstFailure().contains("price"), filter.firstFailure());
    CelFilter guarded =
        CelFilter.compile("has(value.properties.price) && value.properties.price > 1.0", false);
    assertFalse(guarded.shows(record, event(record)));
    assertEquals(0, guarded.failures());
    assertNull(guarded.firstFailure());
  }

  @Test
  void syntaxAndTypeErrorsAreOneLineWithTheColumn() {
    var syntax =
        assertThrows(
            CelFilter.InvalidFilterException.class,
            () -> CelFilter.compile("value.eventType == ", false));
    assertTrue(syntax.getMessage().startsWith("column 20: "), syntax.getMessage());
    assertFalse(syntax.getMessage().contains("\n"));

    var unknown =
        assertThrows(
            CelFilter.InvalidFilterException.class,
            () -> CelFilter.compile("vlue.eventType == \"login\"", false));
    assertTrue(unknown.getMessage().startsWith("column 1: "), unknown.getMessage());
    assertTrue(unknown.getMessage().contains("vlue"), unknown.getMessage());

    var type =
        assertThrows(
            CelFilter.InvalidFilterException.class, () -> CelFilter.compile("offset + 1", false));
    assertTrue(type.getMessage().contains("bool"), type.getMessage());

    var text =
        assertThrows(
            CelFilter.InvalidFilterException.class,
            () -> CelFilter.compile("value.eventType == \"x\"", true));
    assertTrue(text.getMessage().startsWith("column "), text.getMessage());

    var operands =
        assertThrows(
            CelFilter.InvalidFilterException.class, () -> CelFilter.compile("key > 1", false));
    assertEquals(
        "column 5: found no matching overload for '_>_' applied to '(string, int)'",
        operands.getMessage());
  }

  @Test
  void aSyntaxErrorIsNotAlsoPrintedByTheParser() {
    var printed = new java.io.ByteArrayOutputStream();
    java.io.PrintStream err = System.err;
    System.setErr(new java.io.PrintStream(printed, true, StandardCharsets.UTF_8));
    try {
      assertThrows(
          CelFilter.InvalidFilterException.class, () -> CelFilter.compile("key == (", false));
    } finally {
      System.setErr(err);
    }
    assertEquals("", printed.toString(StandardCharsets.UTF_8));
  }
}
