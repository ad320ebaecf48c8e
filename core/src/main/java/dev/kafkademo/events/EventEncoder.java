package dev.kafkademo.events;

/**
 * Turns an event into a record's value, or says why it cannot. May reuse buffers: one per thread.
 */
@FunctionalInterface
public interface EventEncoder {
  byte[] encode(UserEvent event) throws InvalidEventException;

  /** JSON, as {@link EventJson} writes it. */
  static EventEncoder json() {
    EventJson.Writer writer = new EventJson.Writer();
    return writer::toBytes;
  }
}
