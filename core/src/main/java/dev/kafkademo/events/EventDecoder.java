package dev.kafkademo.events;

/** Turns a record's value into an event, or says why it is not one. */
@FunctionalInterface
public interface EventDecoder {
  /** JSON only, as written by {@link EventJson}. */
  EventDecoder JSON = EventJson::parse;

  /**
   * JSON, and to {@code binary} the values that cannot be JSON text: those starting with a zero
   * byte, as the schema registry's wire format does (magic byte 0, then the schema id). JSON values
   * never reach {@code binary}.
   */
  static EventDecoder jsonOr(EventDecoder binary) {
    return value ->
        value != null && value.length > 0 && value[0] == 0
            ? binary.decode(value)
            : EventJson.parse(value);
  }

  UserEvent decode(byte[] value) throws InvalidEventException;
}
