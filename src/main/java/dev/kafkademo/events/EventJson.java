package dev.kafkademo.events;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.UUID;

/**
 * The wire form of a {@link UserEvent}: one UTF-8 JSON object with {@code eventId}, {@code userId},
 * {@code eventType}, {@code timestamp} (ISO-8601, UTC) and {@code properties}. Unknown fields are
 * tolerated when reading, so newer producers do not break older consumers.
 */
public final class EventJson {
  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          // An amount of 22.20 stays 22.20: what was sent is what is read.
          .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);
  private static final ObjectReader PROPERTIES_READER =
      MAPPER
          .readerFor(new TypeReference<Map<String, Object>>() {})
          .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private EventJson() {}

  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** The event as UTF-8 JSON bytes, written straight to bytes without an intermediate string. */
  public static byte[] toBytes(UserEvent event) {
    try (ByteArrayBuilder buffer = new ByteArrayBuilder(256);
        JsonGenerator json = MAPPER.getFactory().createGenerator(buffer, JsonEncoding.UTF8)) {
      write(event, json);
      json.flush();
      return buffer.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write event " + event.eventId(), e);
    }
  }

  /** Writes the event as one JSON object to a generator (used to embed it in other output). */
  public static void write(UserEvent event, JsonGenerator json) throws IOException {
    json.writeStartObject();
    json.writeStringField("eventId", event.eventId().toString());
    json.writeStringField("userId", event.userId());
    json.writeStringField("eventType", event.eventType().jsonName());
    json.writeStringField("timestamp", event.timestamp().toString());
    json.writeFieldName("properties");
    MAPPER.writeValue(json, event.properties());
    json.writeEndObject();
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
    try (JsonParser json = MAPPER.createParser(value)) {
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
              properties = PROPERTIES_READER.readValue(json);
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
      EventType type =
          EventType.fromJsonName(typeName)
              .orElseThrow(
                  () ->
                      new InvalidEventException(
                          "eventType '" + typeName + "' is not one of " + EventType.jsonNames()));
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
      return Instant.parse(text);
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
