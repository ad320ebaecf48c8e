package org.apache.kafka.common.utils;

/**
 * Kafka 4.4 moved {@code Sanitizer} to {@code org.apache.kafka.common.utils.internals}; Debezium
 * 3.5 (built against Kafka 4.1, the newest Debezium whose JDBC sink Maven Central serves) still
 * calls it here to name its JMX metrics, and its PostgreSQL task fails without it. This class puts
 * the old name back, delegating to the new one. Remove it with a Debezium built for Kafka 4.4.
 */
public final class Sanitizer {
  private Sanitizer() {}

  public static String sanitize(String name) {
    return org.apache.kafka.common.utils.internals.Sanitizer.sanitize(name);
  }

  public static String desanitize(String name) {
    return org.apache.kafka.common.utils.internals.Sanitizer.desanitize(name);
  }

  public static String jmxSanitize(String name) {
    return org.apache.kafka.common.utils.internals.Sanitizer.jmxSanitize(name);
  }
}
