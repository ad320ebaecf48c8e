package dev.kafkademo.events;

import java.util.Iterator;
import java.util.NoSuchElementException;

/** {@code count} generated events, encoded (JSON or Avro) as they are sent, one at a time. */
public final class GeneratedEvents implements Iterator<OutgoingEvent> {
  private final EventGenerator generator;
  private final EventEncoder encoder;
  private final long count;
  private long made;

  public GeneratedEvents(EventGenerator generator, long count, EventEncoder encoder) {
    this.generator = generator;
    this.encoder = encoder;
    this.count = count;
  }

  @Override
  public boolean hasNext() {
    return made < count;
  }

  @Override
  public OutgoingEvent next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    made++;
    UserEvent event = generator.next();
    try {
      return new OutgoingEvent(event.userId(), event.eventType(), encoder.encode(event));
    } catch (InvalidEventException e) {
      // Checked before sending (ProducerOptions.encoder): a generated event always fits.
      throw new IllegalStateException("a generated event cannot be encoded: " + e.getMessage(), e);
    }
  }
}
