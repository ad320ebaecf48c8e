package dev.kafkademo.kafka;

import org.apache.kafka.common.utils.internals.AppInfoParser;

/**
 * The version of the Kafka clients on the class path. {@code kafka-clients} has no public accessor
 * for it; {@code AppInfoParser}, which reads it from the jar, is internal since Kafka 4.
 */
public final class KafkaVersion {
  private KafkaVersion() {}

  public static String clients() {
    return AppInfoParser.getVersion();
  }
}
