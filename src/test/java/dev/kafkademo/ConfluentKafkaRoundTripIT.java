package dev.kafkademo;

import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.ConfluentKafkaContainer;

/**
 * The same round trip against Confluent's cp-kafka image, the one the Compose stack runs. Skipped
 * where there is no Docker engine.
 */
@Testcontainers(disabledWithoutDocker = true)
class ConfluentKafkaRoundTripIT extends RoundTripContract {
  /** Keep in step with docker-compose.yml. */
  static final String CP_KAFKA_IMAGE = "confluentinc/cp-kafka:7.9.11";

  @Container
  static final ConfluentKafkaContainer KAFKA = new ConfluentKafkaContainer(CP_KAFKA_IMAGE);

  @Override
  protected String bootstrapServers() {
    return KAFKA.getBootstrapServers();
  }
}
