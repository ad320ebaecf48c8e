package dev.kafkademo.streams;

import dev.kafkademo.events.UserEvent;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Event time: the event's own {@code timestamp} field, not the time the record was written. Streams
 * deserializes the value first, so the field is read from the parsed event; anything that is not an
 * event (the repartitioned counts) keeps the record's timestamp, which Streams set to the event
 * time when it wrote the record.
 */
public final class EventTimeExtractor implements TimestampExtractor {
  @Override
  public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
    return record.value() instanceof UserEvent event
        ? event.timestamp().toEpochMilli()
        : record.timestamp();
  }
}
