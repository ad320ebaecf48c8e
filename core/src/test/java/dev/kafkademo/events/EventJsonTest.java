package dev.kafkademo.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventJsonTest {
  private static final String VALID =
      """
      {"eventId":"0b6f1c7e-3f3a-4c1e-9a53-2f1d1e0c9a11","userId":"user-7","eventType":"purchase",\
      "timestamp":"2026-11-25T10:15:30.123Z","properties":{"item":"sku-1001","amount":49.99,"currency":"EUR"}}""";

  @Test
  void propertiesKeepTheOrderTheRecordHasSoTheyPrintTheSameWay() throws InvalidEventException {
    String json =
        VALID.replace(
            "{\"item\":\"sku-1001\",\"amount\":49.99,\"currency\":\"EUR\"}",
            "{\"zeta\":1,\"alpha\":2,\"mid\":3,\"beta\":4}");

    UserEvent event = EventJson.parse(bytes(json));

    assertEquals(List.of("zeta", "alpha", "mid", "beta"), List.copyOf(event.properties().keySet()));
    assertTrue(
        new String(EventJson.toBytes(event), StandardCharsets.UTF_8)
            .endsWith("{\"zeta\":1,\"alpha\":2,\"mid\":3,\"beta\":4}}"));
  }

  @Test
  void readsEveryFieldOfAValidEvent() throws InvalidEventException {
    UserEvent event = EventJson.parse(bytes(VALID));

    assertEquals(UUID.fromString("0b6f1c7e-3f3a-4c1e-9a53-2f1d1e0c9a11"), event.eventId());
    assertEquals("user-7", event.userId());
    assertEquals(EventType.PURCHASE, event.eventType());
    assertEquals(Instant.parse("2026-11-25T10:15:30.123Z"), event.timestamp());
    assertEquals(
        Map.of("item", "sku-1001", "amount", new BigDecimal("49.99"), "currency", "EUR"),
        event.properties());
  }

  @Test
  void writesWhatItReadsFieldForField() throws InvalidEventException {
    UserEvent event = EventJson.parse(bytes(VALID));

    String written = new String(EventJson.toBytes(event), StandardCharsets.UTF_8);

    assertEquals(EventJson.mapper().valueToTree(readTree(VALID)), readTree(written));
    assertEquals(event, EventJson.parse(bytes(written)));
  }

  @Test
  void writesTheWireNamesOfTypesAndIsoUtcTimestamps() {
    UserEvent event =
        new UserEvent(
            UUID.randomUUID(),
            "user-1",
            EventType.ADD_TO_CART,
            Instant.parse("2026-01-02T03:04:05Z"),
            Map.of());

    String json = new String(EventJson.toBytes(event), StandardCharsets.UTF_8);

    assertTrue(json.contains("\"eventType\":\"add_to_cart\""), json);
    assertTrue(json.contains("\"timestamp\":\"2026-01-02T03:04:05Z\""), json);
  }

  @Test
  void aReusedWriterWritesEachEventAsAloneWithItsOwnTimestamp() throws InvalidEventException {
    EventJson.Writer writer = new EventJson.Writer();
    Instant first = Instant.parse("2026-11-25T10:15:30.123Z");
    // Same millisecond twice (the cached timestamp text), then a later one, then a whole second.
    List<UserEvent> events =
        List.of(
            event(first, Map.of("page", "/cart")),
            event(first, Map.of("amount", new BigDecimal("22.20"), "currency", "EUR")),
            event(
                first.plusMillis(1), Map.of("quantity", 2, "gift", true, "bytes", 5_000_000_000L)),
            event(Instant.parse("2026-11-25T10:15:31Z"), Map.of("tags", List.of("a", "b"))));

    for (UserEvent event : events) {
      byte[] written = writer.toBytes(event);

      assertEquals(new String(EventJson.toBytes(event), StandardCharsets.UTF_8), text(written));
      assertEquals(event, EventJson.parse(written));
    }
    assertTrue(text(writer.toBytes(events.get(1))).contains("\"amount\":22.20"));
    assertTrue(
        text(writer.toBytes(events.get(3))).contains("\"timestamp\":\"2026-11-25T10:15:31Z\""));
  }

  private static UserEvent event(Instant at, Map<String, Object> properties) {
    return new UserEvent(UUID.randomUUID(), "user-1", EventType.PURCHASE, at, properties);
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @Test
  void readsPropertiesOfEveryKindAndCountsANullPropertyAsAbsent() throws InvalidEventException {
    String value =
        VALID.replace(
            "\"properties\":{",
            "\"properties\":{\"coupon\":null,\"count\":3,\"big\":5000000000,\"gift\":false,"
                + "\"tags\":[\"a\",1],\"address\":{\"city\":\"Gent\",\"zip\":null},");

    Map<String, Object> address = new HashMap<>();
    address.put("city", "Gent");
    address.put("zip", null); // inside a nested object, a null stays as it is

    assertEquals(
        Map.of(
            "item",
            "sku-1001",
            "amount",
            new BigDecimal("49.99"),
            "currency",
            "EUR",
            "count",
            3,
            "big",
            5_000_000_000L,
            "gift",
            false,
            "tags",
            List.of("a", 1),
            "address",
            address),
        EventJson.parse(bytes(value)).properties());
  }

  @Test
  void toleratesFieldsItDoesNotKnow() throws InvalidEventException {
    String withExtra =
        VALID.replace(
            "{\"eventId\"", "{\"schemaVersion\":2,\"source\":{\"app\":\"web\"},\"eventId\"");

    assertEquals(EventJson.parse(bytes(VALID)), EventJson.parse(bytes(withExtra)));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "empty value|''|empty value",
        "not JSON|not json at all|not valid JSON",
        "truncated JSON|{\"eventId\":|not valid JSON",
        "array|[1,2]|not a JSON object but an array",
        "string|'\"hello\"'|not a JSON object but a string",
        "no eventId|{\"userId\":\"u\",\"eventType\":\"login\",\"timestamp\":\"2026-01-01T00:00:00Z\",\"properties\":{}}|missing field eventId",
        "bad eventId|{\"eventId\":\"42\",\"userId\":\"u\",\"eventType\":\"login\",\"timestamp\":\"2026-01-01T00:00:00Z\",\"properties\":{}}|eventId '42' is not a UUID",
        "numeric userId|{\"eventId\":\"0b6f1c7e-3f3a-4c1e-9a53-2f1d1e0c9a11\",\"userId\":7,\"eventType\":\"login\",\"timestamp\":\"2026-01-01T00:00:00Z\",\"properties\":{}}|field userId must be a string, not a number",
        "blank userId|{\"eventId\":\"0b6f1c7e-3f3a-4c1e-9a53-2f1d1e0c9a11\",\"userId\":\" \",\"eventType\":\"login\",\"timestamp\":\"2026-01-01T00:00:00Z\",\"properties\":{}}|field userId is blank",
        "unknown type|{\"eventId\":\"0b6f1c7e-3f3a-4c1e-9a53-2f1d1e0c9a11\",\"userId\":\"u\",\"eventType\":\"dance\",\"timestamp\":\"2026-01-01T00:00:00Z\",\"properties\":{}}|eventType 'dance' is not one of login, logout, page_view, add_to_cart, purchase, search",
        "bad timestamp|{\"eventId\":\"0b6f1c7e-3f3a-4c1e-9a53-2f1d1e0c9a11\",\"userId\":\"u\",\"eventType\":\"login\",\"timestamp\":\"yesterday\",\"properties\":{}}|timestamp 'yesterday' is not an ISO-8601 UTC time",
        "no properties|{\"eventId\":\"0b6f1c7e-3f3a-4c1e-9a53-2f1d1e0c9a11\",\"userId\":\"u\",\"eventType\":\"login\",\"timestamp\":\"2026-01-01T00:00:00Z\"}|missing field properties",
        "properties not an object|{\"eventId\":\"0b6f1c7e-3f3a-4c1e-9a53-2f1d1e0c9a11\",\"userId\":\"u\",\"eventType\":\"login\",\"timestamp\":\"2026-01-01T00:00:00Z\",\"properties\":[]}|field properties must be an object, not an array",
        "two objects|{\"a\":1} {\"b\":2}|not valid JSON",
      })
  void rejectsWhatIsNotAnEventSayingWhy(String caseName, String value, String reason) {
    InvalidEventException error =
        assertThrows(InvalidEventException.class, () -> EventJson.parse(bytes(value)));

    assertTrue(error.getMessage().startsWith(reason), () -> caseName + ": " + error.getMessage());
  }

  @Test
  void rejectsANullValueAsEmpty() {
    InvalidEventException error =
        assertThrows(InvalidEventException.class, () -> EventJson.parse(null));

    assertEquals("empty value", error.getMessage());
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static com.fasterxml.jackson.databind.JsonNode readTree(String json) {
    try {
      return EventJson.mapper().readTree(json);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
