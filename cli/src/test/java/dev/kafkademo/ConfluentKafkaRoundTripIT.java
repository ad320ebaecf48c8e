package dev.kafkademo;

import dev.kafkademo.support.ComposeStack;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.ConfluentKafkaContainer;

/**
 * The same round trip against Confluent's cp-kafka image, the one the Compose stack runs. Skipped
 * where there is no Docker engine.
 */
@Testcontainers(disabledWithoutDocker = true)
class ConfluentKafkaRoundTripIT extends RoundTripContract {
  @Container
  static final ConfluentKafkaContainer KAFKA =
      new ConfluentKafkaContainer(ComposeStack.CP_KAFKA_IMAGE);

  @Override
  protected String bootstrapServers() {
    return KAFKA.getBootstrapServers();
  }
}
