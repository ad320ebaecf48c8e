package dev.kafkademo.events;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
  private static final TypeReference<Map<String, Object>> PROPERTIES = new TypeReference<>() {};

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
    JsonNode root;
    try {
      root = MAPPER.readTree(value);
    } catch (JsonProcessingException e) {
      throw new InvalidEventException("not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new InvalidEventException("not readable: " + e.getMessage(), e);
    }
    if (root == null || root.isMissingNode()) {
      throw new InvalidEventException("empty value");
    }
    if (!root.isObject()) {
      throw new InvalidEventException("not a JSON object but " + describe(root));
    }
    ObjectNode event = (ObjectNode) root;
    UUID eventId = parseUuid(text(event, "eventId"));
    String userId = text(event, "userId");
    if (userId.isBlank()) {
      throw new InvalidEventException("field userId is blank");
    }
    String typeName = text(event, "eventType");
    EventType type =
        EventType.fromJsonName(typeName)
            .orElseThrow(
                () ->
                    new InvalidEventException(
                        "eventType '" + typeName + "' is not one of " + EventType.jsonNames()));
    Instant timestamp = parseTimestamp(text(event, "timestamp"));
    JsonNode properties = required(event, "properties");
    if (!properties.isObject()) {
      throw new InvalidEventException(
          "field properties must be an object, not " + describe(properties));
    }
    return new UserEvent(
        eventId, userId, type, timestamp, MAPPER.convertValue(properties, PROPERTIES));
  }

  private static JsonNode required(ObjectNode event, String field) throws InvalidEventException {
    JsonNode node = event.get(field);
    if (node == null || node.isNull()) {
      throw new InvalidEventException("missing field " + field);
    }
    return node;
  }

  private static String text(ObjectNode event, String field) throws InvalidEventException {
    JsonNode node = required(event, field);
    if (!node.isTextual()) {
      throw new InvalidEventException(
          "field " + field + " must be a string, not " + describe(node));
    }
    return node.textValue();
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

  private static String describe(JsonNode node) {
    return switch (node.getNodeType()) {
      case ARRAY -> "an array";
      case BOOLEAN -> "a boolean";
      case NUMBER -> "a number";
      case OBJECT -> "an object";
      case STRING -> "a string";
      default -> node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    };
  }
}
