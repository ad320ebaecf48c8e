package dev.kafkademo.events;

import java.util.Iterator;
import java.util.NoSuchElementException;

/** {@code count} generated events, encoded as they are sent, one at a time. */
public final class GeneratedEvents implements Iterator<OutgoingEvent> {
  private final EventGenerator generator;
  private final EventJson.Writer writer = new EventJson.Writer();
  private final long count;
  private long made;

  public GeneratedEvents(EventGenerator generator, long count) {
    this.generator = generator;
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
    return new OutgoingEvent(event.userId(), event.eventType(), writer.toBytes(event));
  }
}
