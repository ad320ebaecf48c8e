package dev.kafkademo.streams;

import dev.kafkademo.events.EventJson;
import dev.kafkademo.events.InvalidEventException;
import dev.kafkademo.events.UserEvent;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * User events as the topic holds them: the same JSON, parsed and validated like the consumer does.
 * A record that is not a valid event fails to deserialize with the reason as the message, for the
 * application's {@link InvalidEventsHandler} to skip, dead-letter or stop on.
 */
public final class UserEventSerde {
  private UserEventSerde() {}

  public static Serde<UserEvent> serde() {
    Serializer<UserEvent> serializer = (topic, event) -> EventJson.toBytes(event);
    Deserializer<UserEvent> deserializer =
        (topic, bytes) -> {
          try {
            return EventJson.parse(bytes);
          } catch (InvalidEventException e) {
            throw new SerializationException(e.getMessage(), e);
          }
        };
    return Serdes.serdeFrom(serializer, deserializer);
  }
}
