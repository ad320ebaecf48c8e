package dev.kafkademo.events;

/**
 * An event ready to send: the key ({@code userId}), its type for confirmations and counts, and the
 * JSON value bytes.
 */
public record OutgoingEvent(String userId, EventType eventType, byte[] value) {}
