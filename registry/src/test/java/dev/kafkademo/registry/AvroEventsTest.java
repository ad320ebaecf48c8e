package dev.kafkademo.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kafkademo.events.EventGenerator;
import dev.kafkademo.events.EventJson;
import dev.kafkademo.events.EventType;
import dev.kafkademo.events.InvalidEventException;
import dev.kafkademo.events.UserEvent;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import org.apache.avro.Conversions;
import org.apache.avro.Schema;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

/** Events in and out of Avro with the bundled schemas, and the bytes the wire format holds. */
class AvroEventsTest {
  private static final Schema V1 = AvroEvents.bundled("user-event-v1.avsc");
  private static final Schema V2 = AvroEvents.bundled("user-event-v2.avsc");
  private static final UUID ID = UUID.fromString("0b6f1c7e-3f3a-4c1e-9a53-2f1d1e0c9a11");
  private static final Instant AT = Instant.parse("2026-11-30T10:15:30.123Z");

  private static UserEvent event(EventType type, Object... properties) {
    Map<String, Object> props = new LinkedHashMap<>();
    for (int i = 0; i < properties.length; i += 2) {
      props.put((String) properties[i], properties[i + 1]);
    }
    return new UserEvent(ID, "user-7", type, AT, props);
  }

  private static UserEvent roundTrip(UserEvent event, Schema writer, Schema reader)
      throws InvalidEventException {
    byte[] bytes = new AvroEvents.Writer(writer).encode(new byte[0], event);
    return new AvroEvents.Reader(writer, reader).decode(bytes, 0, bytes.length);
  }

  @Test
  void generatedEventsComeBackAsTheirJsonReadsThem() throws InvalidEventException {
    EventGenerator generator =
        EventGenerator.simulated(
            20,
            new SplittableRandom(3),
            Instant.parse("2026-11-30T12:00:00Z"),
            Duration.ofHours(6),
            2000);
    for (int i = 0; i < 2000; i++) {
      UserEvent asJsonReadsIt = EventJson.parse(EventJson.toBytes(generator.next()));
      assertEquals(asJsonReadsIt, roundTrip(asJsonReadsIt, V1, V1));
    }
  }

  /**
   * The writer puts values straight into the encoder; Avro's own GenericDatumWriter, given the same
   * event as a GenericRecord, must produce the very same bytes.
   */
  @Test
  void theBytesAreThoseOfAvrosOwnGenericWriter() throws Exception {
    GenericData model = new GenericData();
    model.addLogicalTypeConversion(new Conversions.UUIDConversion());
    model.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
    model.addLogicalTypeConversion(new Conversions.DecimalConversion());
    for (Schema schema : new Schema[] {V1, V2}) {
      EventGenerator generator =
          EventGenerator.simulated(
              20,
              new SplittableRandom(5),
              Instant.parse("2026-11-30T12:00:00Z"),
              Duration.ofHours(6),
              2000);
      AvroEvents.Writer writer = new AvroEvents.Writer(schema);
      GenericDatumWriter<GenericRecord> avros = new GenericDatumWriter<>(schema, model);
      for (int i = 0; i < 2000; i++) {
        UserEvent event = generator.next();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(expected, null);
        avros.write(asRecord(event, schema, model), encoder);
        encoder.flush();
        assertArrayEquals(expected.toByteArray(), writer.encode(new byte[0], event), "" + event);
      }
    }
  }

  /** An event as a GenericRecord of {@code schema}, each value as the schema's type has it. */
  private static GenericRecord asRecord(UserEvent event, Schema schema, GenericData model) {
    GenericRecord record = new GenericData.Record(schema);
    record.put("eventId", event.eventId());
    record.put("userId", event.userId());
    record.put(
        "eventType",
        new GenericData.EnumSymbol(
            schema.getField("eventType").schema(), event.eventType().jsonName()));
    record.put("timestamp", event.timestamp());
    Schema propertiesSchema = schema.getField("properties").schema();
    GenericRecord properties = new GenericData.Record(propertiesSchema);
    for (Schema.Field field : propertiesSchema.getFields()) {
      properties.put(field.pos(), model.getDefaultValue(field));
    }
    event
        .properties()
        .forEach(
            (name, value) -> {
              Schema type = propertiesSchema.getField(name).schema().getTypes().get(1);
              properties.put(
                  name, type.getType() == Schema.Type.LONG ? ((Number) value).longValue() : value);
            });
    record.put("properties", properties);
    return record;
  }

  @Test
  void aNewReaderFillsInTheDefaultOfAFieldOldEventsDoNotHave() throws InvalidEventException {
    UserEvent old = event(EventType.LOGIN, "method", "sso");

    UserEvent read = roundTrip(old, V1, V2);

    assertEquals(Map.of("method", "sso", "channel", "web"), read.properties());
  }

  /** Truncated bytes made Avro's reader fail without a message: the reason said "null". */
  @Test
  void bytesThatEndEarlyAreRefusedWithAReasonNotNull() throws InvalidEventException {
    byte[] bytes = new AvroEvents.Writer(V1).encode(new byte[0], event(EventType.LOGIN));
    AvroEvents.Reader reader = new AvroEvents.Reader(V1, V1);

    InvalidEventException refused =
        org.junit.jupiter.api.Assertions.assertThrows(
            InvalidEventException.class, () -> reader.decode(bytes, 0, bytes.length / 2));

    assertTrue(
        refused.getMessage().startsWith("Avro bytes do not decode: ")
            && !refused.getMessage().contains("null"),
        refused.getMessage());
  }

  @Test
  void anOldReaderDropsTheFieldItDoesNotKnow() throws InvalidEventException {
    UserEvent fromApp = event(EventType.PAGE_VIEW, "page", "/cart", "channel", "app");

    UserEvent read = roundTrip(fromApp, V2, V1);

    assertEquals(Map.of("page", "/cart"), read.properties());
    assertEquals(fromApp.eventId(), read.eventId());
    assertEquals(fromApp.timestamp(), read.timestamp());
  }

  @Test
  void anAmountKeepsItsExactDecimalValue() throws InvalidEventException {
    UserEvent purchase =
        event(
            EventType.PURCHASE,
            "item",
            "sku-1001",
            "amount",
            new BigDecimal("49.90"),
            "currency",
            "EUR");

    assertEquals(new BigDecimal("49.90"), roundTrip(purchase, V2, V2).properties().get("amount"));
  }

  @Test
  void whatDoesNotFitTheSchemaIsRefusedWithTheReason() {
    InvalidEventException unknown =
        assertThrows(
            InvalidEventException.class,
            () -> roundTrip(event(EventType.LOGIN, "color", "red"), V2, V2));
    assertTrue(
        unknown.getMessage().startsWith("property color is not in the schema"),
        unknown::getMessage);

    InvalidEventException tooPrecise =
        assertThrows(
            InvalidEventException.class,
            () -> roundTrip(event(EventType.PURCHASE, "amount", new BigDecimal("9.999")), V2, V2));
    assertTrue(
        tooPrecise.getMessage().contains("at most 2 decimal places"), tooPrecise::getMessage);

    InvalidEventException text =
        assertThrows(
            InvalidEventException.class,
            () -> roundTrip(event(EventType.ADD_TO_CART, "quantity", "two"), V2, V2));
    assertTrue(text.getMessage().contains("quantity must be an integer"), text::getMessage);
  }

  @Test
  void anEventTypeTheSchemaLacksIsRefusedAndAStringFieldHoldsTheName()
      throws InvalidEventException {
    String v1 = V1.toString();
    Schema withoutLogin = new Schema.Parser().parse(v1.replace("\"login\",", ""));
    InvalidEventException lacking =
        assertThrows(
            InvalidEventException.class,
            () -> roundTrip(event(EventType.LOGIN), withoutLogin, withoutLogin));
    assertTrue(
        lacking.getMessage().startsWith("eventType login is not one of the schema's [logout,"),
        lacking::getMessage);
    UserEvent logout = event(EventType.LOGOUT);
    assertEquals(logout, roundTrip(logout, withoutLogin, withoutLogin));

    int start = v1.indexOf("{\"type\":\"enum\",\"name\":\"EventType\"");
    Schema asString =
        new Schema.Parser()
            .parse(
                v1.substring(0, start) + "\"string\"" + v1.substring(v1.indexOf('}', start) + 1));
    assertEquals(Schema.Type.STRING, asString.getField("eventType").schema().getType());
    UserEvent pageView = event(EventType.PAGE_VIEW, "page", "/cart");
    assertEquals(pageView, roundTrip(pageView, asString, asString));
  }

  /**
   * The Avro specification's binary encoding, byte by byte: strings and longs as zig-zag varints
   * (length first for strings), an enum as its index, a union as the branch index then the value.
   */
  @Test
  void theBytesAreAvrosBinaryEncodingAfterTheWireFormatsHeader() throws InvalidEventException {
    UserEvent login = event(EventType.LOGIN, "method", "sso");

    byte[] value = new AvroEvents.Writer(V1).encode(WireFormat.header(258), login);

    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    expected.writeBytes(new byte[] {0, 0, 0, 1, 2}); // magic byte, schema id 258 big-endian
    string(expected, ID.toString());
    string(expected, "user-7");
    varint(expected, 0); // login: the enum's first symbol
    varint(expected, AT.toEpochMilli());
    varint(expected, 1); // method: the union's second branch, a string
    string(expected, "sso");
    for (int field = 1; field < 8; field++) {
      varint(expected, 0); // the other properties: null, the union's first branch
    }
    assertArrayEquals(expected.toByteArray(), value);
    assertTrue(WireFormat.framed(value));
    assertEquals(258, WireFormat.schemaId(value));
    assertFalse(WireFormat.framed("{\"eventId\":1}".getBytes(StandardCharsets.UTF_8)));
  }

  private static void string(ByteArrayOutputStream out, String text) {
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    varint(out, utf8.length);
    out.writeBytes(utf8);
  }

  private static void varint(ByteArrayOutputStream out, long value) {
    long zigzag = (value << 1) ^ (value >> 63);
    while ((zigzag & ~0x7FL) != 0) {
      out.write((int) ((zigzag & 0x7F) | 0x80));
      zigzag >>>= 7;
    }
    out.write((int) zigzag);
  }
}
