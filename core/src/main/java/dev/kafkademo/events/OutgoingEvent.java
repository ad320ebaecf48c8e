package dev.kafkademo.events;

/**
 * A record ready to send: the key ({@code userId}), its type for confirmations and counts, and the
 * value bytes (an event's JSON or Avro; for a raw record, the line as it is).
 *
 * @param userId the key; null for a raw record without a key
 * @param eventType null for a raw record, which is not an event
 */
public record OutgoingEvent(String userId, EventType eventType, byte[] value) {}
