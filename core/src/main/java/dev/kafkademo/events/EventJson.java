package dev.kafkademo.events;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The wire form of a {@link UserEvent}: one UTF-8 JSON object with {@code eventId}, {@code userId},
 * {@code eventType}, {@code timestamp} (ISO-8601, UTC) and {@code properties}. Unknown fields are
 * tolerated when reading, so newer producers do not break older consumers.
 */
public final class EventJson {
  // Events are written and read with the streaming API alone; the mapper (for nested property
  // values and for the callers of mapper()) is built on first use: its 300 classes took a quarter
  // of a second from every producer's start.
  private static final JsonFactory STREAMING = new JsonFactory();

  private static final class Mapper {
    static final ObjectMapper INSTANCE =
        new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            // An amount of 22.20 stays 22.20: what was sent is what is read.
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);
    // A nested property value (object or list), read where it stands in the event.
    static final ObjectReader NESTED_VALUE_READER =
        INSTANCE.readerFor(Object.class).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }

  // Field names encoded once, not per event.
  private static final SerializedString EVENT_ID = new SerializedString("eventId");
  private static final SerializedString USER_ID = new SerializedString("userId");
  private static final SerializedString EVENT_TYPE = new SerializedString("eventType");
  private static final SerializedString TIMESTAMP = new SerializedString("timestamp");
  private static final SerializedString PROPERTIES = new SerializedString("properties");

  private EventJson() {}

  public static ObjectMapper mapper() {
    return Mapper.INSTANCE;
  }

  /** The event as UTF-8 JSON bytes. For many events in a row, {@link Writer} reuses its buffers. */
  public static byte[] toBytes(UserEvent event) {
    return new Writer().toBytes(event);
  }

  /** Writes the event as one JSON object to a generator (used to embed it in other output). */
  public static void write(UserEvent event, JsonGenerator json) throws IOException {
    write(event, event.timestamp().toString(), json);
  }

  private static void write(UserEvent event, String timestamp, JsonGenerator json)
      throws IOException {
    json.writeStartObject();
    json.writeFieldName(EVENT_ID);
    json.writeString(event.eventId().toString());
    json.writeFieldName(USER_ID);
    json.writeString(event.userId());
    json.writeFieldName(EVENT_TYPE);
    json.writeString(event.eventType().jsonName());
    json.writeFieldName(TIMESTAMP);
    json.writeString(timestamp);
    json.writeFieldName(PROPERTIES);
    json.writeStartObject();
    for (Map.Entry<String, Object> property : event.properties().entrySet()) {
      json.writeFieldName(property.getKey());
      // The generator's own methods for the flat values generated events carry; the mapper for
      // anything else (nested objects, lists).
      Object value = property.getValue();
      if (value instanceof String text) {
        json.writeString(text);
      } else if (value instanceof Integer number) {
        json.writeNumber(number);
      } else if (value instanceof Long number) {
        json.writeNumber(number);
      } else if (value instanceof BigDecimal number) {
        json.writeNumber(number);
      } else if (value instanceof Boolean flag) {
        json.writeBoolean(flag);
      } else {
        Mapper.INSTANCE.writeValue(json, value);
      }
    }
    json.writeEndObject();
    json.writeEndObject();
  }

  /**
   * Turns events into JSON bytes one after another with one generator and one buffer, and formats
   * each millisecond's timestamp once: the producer writes a million events this way. Not
   * thread-safe.
   */
  public static final class Writer {
    private final ByteArrayBuilder buffer = new ByteArrayBuilder(512);
    private final JsonGenerator json;
    private Instant lastTimestamp;
    private String lastTimestampText;

    public Writer() {
      try {
        json = STREAMING.createGenerator(buffer, JsonEncoding.UTF8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      json.setRootValueSeparator(null); // values follow each other in the buffer: no separator
    }

    public byte[] toBytes(UserEvent event) {
      if (!event.timestamp().equals(lastTimestamp)) {
        lastTimestamp = event.timestamp();
        lastTimestampText = lastTimestamp.toString();
      }
      try {
        write(event, lastTimestampText, json);
        json.flush();
        return buffer.toByteArray();
      } catch (IOException e) {
        throw new UncheckedIOException("Could not write event " + event.eventId(), e);
      } finally {
        buffer.reset();
      }
    }
  }

  /** What is wrong with a JSON text, in one line: the parser's own words and where. */
  public static String problem(com.fasterxml.jackson.core.JsonProcessingException e) {
    com.fasterxml.jackson.core.JsonLocation at = e.getLocation();
    return "not valid JSON: "
        + e.getOriginalMessage()
        + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")");
  }

  /**
   * Reads and validates one event.
   *
   * @throws InvalidEventException with a reason a person can act on: not JSON, a missing field, a
   *     field of the wrong type or an unknown event type
   */
  public static UserEvent parse(byte[] value) throws InvalidEventException {
    if (value == null || value.length == 0) {
      throw new InvalidEventException("empty value");
    }
    // One streaming pass, no tree: this runs for every record the consumer reads.
    try (JsonParser json = STREAMING.createParser(value)) {
      JsonToken first = json.nextToken();
      if (first == null) {
        throw new InvalidEventException("empty value");
      }
      if (first != JsonToken.START_OBJECT) {
        json.skipChildren();
        requireEnd(json);
        throw new InvalidEventException("not a JSON object but " + describe(first));
      }
      Field eventId = new Field("eventId");
      Field userId = new Field("userId");
      Field eventType = new Field("eventType");
      Field timestamp = new Field("timestamp");
      JsonToken propertiesToken = null;
      Map<String, Object> properties = null;
      while (json.nextToken() == JsonToken.FIELD_NAME) {
        String name = json.currentName();
        JsonToken token = json.nextToken();
        switch (name) {
          case "eventId" -> eventId.read(json, token);
          case "userId" -> userId.read(json, token);
          case "eventType" -> eventType.read(json, token);
          case "timestamp" -> timestamp.read(json, token);
          case "properties" -> {
            propertiesToken = token;
            if (token == JsonToken.START_OBJECT) {
              properties = readProperties(json);
            } else {
              json.skipChildren();
            }
          }
          default -> json.skipChildren(); // unknown fields are tolerated
        }
      }
      requireEnd(json);
      UUID id = parseUuid(eventId.text());
      String user = userId.text();
      if (user.isBlank()) {
        throw new InvalidEventException("field userId is blank");
      }
      String typeName = eventType.text();
      EventType type = EventType.parse(typeName);
      Instant at = parseTimestamp(timestamp.text());
      if (propertiesToken == null || propertiesToken == JsonToken.VALUE_NULL) {
        throw new InvalidEventException("missing field properties");
      }
      if (properties == null) {
        throw new InvalidEventException(
            "field properties must be an object, not " + describe(propertiesToken));
      }
      return new UserEvent(id, user, type, at, properties);
    } catch (JsonProcessingException e) {
      throw new InvalidEventException("not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new InvalidEventException("not readable: " + e.getMessage(), e);
    }
  }

  /**
   * The properties object, read token by token: flat values as the mapper would read them (strings,
   * integers as Integer/Long/BigInteger, decimals as BigDecimal, booleans), nested ones through the
   * mapper. A property that is null counts as absent; the later of two same names wins. They keep
   * the order they have in the record, so that they print the same way every time.
   */
  private static Map<String, Object> readProperties(JsonParser json) throws IOException {
    Map<String, Object> properties = new LinkedHashMap<>();
    String name;
    while ((name = json.nextFieldName()) != null) {
      Object value =
          switch (json.nextToken()) {
            case VALUE_STRING -> json.getText();
            case VALUE_NUMBER_INT -> json.getNumberValue();
            case VALUE_NUMBER_FLOAT -> json.getDecimalValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> Mapper.NESTED_VALUE_READER.readValue(json);
          };
      if (value == null) {
        properties.remove(name);
      } else {
        properties.put(name, value);
      }
    }
    return properties;
  }

  /** A string field of the event as it was read: its token and, for a string, its text. */
  private static final class Field {
    private final String name;
    private JsonToken token;
    private String text;

    Field(String name) {
      this.name = name;
    }

    void read(JsonParser json, JsonToken valueToken) throws IOException {
      token = valueToken;
      text = valueToken == JsonToken.VALUE_STRING ? json.getText() : null;
      json.skipChildren();
    }

    String text() throws InvalidEventException {
      if (token == null || token == JsonToken.VALUE_NULL) {
        throw new InvalidEventException("missing field " + name);
      }
      if (text == null) {
        throw new InvalidEventException(
            "field " + name + " must be a string, not " + describe(token));
      }
      return text;
    }
  }

  /** Anything after the event makes the value invalid JSON, as one value per record is the rule. */
  private static void requireEnd(JsonParser json) throws IOException, InvalidEventException {
    if (json.nextToken() != null) {
      throw new InvalidEventException("not valid JSON: more than one JSON value in the record");
    }
  }

  private static UUID parseUuid(String text) throws InvalidEventException {
    try {
      if (text.length() != 36) {
        throw new IllegalArgumentException();
      }
      return UUID.fromString(text);
    } catch (IllegalArgumentException e) {
      throw new InvalidEventException("eventId '" + text + "' is not a UUID");
    }
  }

  private static Instant parseTimestamp(String text) throws InvalidEventException {
    try {
      return UtcTimestamps.parse(text);
    } catch (DateTimeParseException e) {
      throw new InvalidEventException(
          "timestamp '" + text + "' is not an ISO-8601 UTC time like 2026-01-31T12:00:00Z");
    }
  }

  private static String describe(JsonToken token) {
    return switch (token) {
      case START_ARRAY -> "an array";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case START_OBJECT -> "an object";
      case VALUE_STRING -> "a string";
      default -> token.name().toLowerCase(java.util.Locale.ROOT);
    };
  }
}
