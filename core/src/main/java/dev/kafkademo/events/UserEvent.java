package dev.kafkademo.events;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One thing a user did, as it travels through Kafka: the record key is {@link #userId()}, the value
 * is this event as JSON (see {@link EventJson}).
 *
 * @param properties details that depend on the type (page, item, amount, query, ...), in order
 */
public record UserEvent(
    UUID eventId,
    String userId,
    EventType eventType,
    Instant timestamp,
    Map<String, Object> properties) {

  public UserEvent {
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(eventType, "eventType");
    Objects.requireNonNull(timestamp, "timestamp");
    // Kept in the order given (Map.copyOf would shuffle it anew in every JVM): stable output.
    properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
  }
}
