package dev.kafkademo.kafka.consume;

import dev.kafkademo.events.UserEvent;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Which records are shown ({@code consumer --filter}). The others are still processed as read:
 * counted as filtered, and committed like shown ones.
 */
@FunctionalInterface
public interface RecordFilter {
  /**
   * @param event the record read as an event, or null when records are read raw
   * @return true to show the record
   */
  boolean shows(ConsumerRecord<byte[], byte[]> record, UserEvent event);
}
