package dev.kafkademo.events;

/** Turns a record's value into an event, or says why it is not one. */
@FunctionalInterface
public interface EventDecoder {
  /** JSON only, as written by {@link EventJson}. */
  EventDecoder JSON = EventJson::parse;

  UserEvent decode(byte[] value) throws InvalidEventException;
}
