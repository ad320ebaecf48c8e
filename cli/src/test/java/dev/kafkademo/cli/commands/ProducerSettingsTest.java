package dev.kafkademo.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The producer's options as the client settings they become, with no broker: what Apache Kafka's
 * ConsoleProducer tests check with {@code new ProducerConfig(...)}.
 */
class ProducerSettingsTest {
  private static Properties settings(String... args) {
    ProducerCommand command = new ProducerCommand();
    new CommandLine(command).parseArgs(args);
    return command.producerSettings();
  }

  @Test
  void theDefaultsAreSafeAndASendWaitsForMetadataAsLongAsDeliveryWould() {
    Properties settings = settings();

    assertEquals("localhost:9092", settings.getProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG));
    assertEquals("all", settings.getProperty(ProducerConfig.ACKS_CONFIG));
    assertEquals("262144", settings.getProperty(ProducerConfig.BATCH_SIZE_CONFIG));
    assertEquals("5", settings.getProperty(ProducerConfig.LINGER_MS_CONFIG));
    assertEquals("120000", settings.getProperty(ProducerConfig.MAX_BLOCK_MS_CONFIG));
    assertEquals(
        ByteArraySerializer.class.getName(),
        settings.getProperty(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG));
    assertEquals(
        true,
        new ProducerConfig(settings).getBoolean(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG),
        "idempotent: each acknowledged event in the log once, in order");
  }

  @Test
  void flagsBecomeTheirSettings() {
    Properties settings =
        settings(
            "-b",
            "broker:19092",
            "--acks",
            "1",
            "--compression",
            "zstd",
            "--linger-ms",
            "20",
            "--batch-size",
            "65536");

    assertEquals("broker:19092", settings.getProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG));
    assertEquals("1", settings.getProperty(ProducerConfig.ACKS_CONFIG));
    assertEquals("zstd", settings.getProperty(ProducerConfig.COMPRESSION_TYPE_CONFIG));
    assertEquals("20", settings.getProperty(ProducerConfig.LINGER_MS_CONFIG));
    assertEquals("65536", settings.getProperty(ProducerConfig.BATCH_SIZE_CONFIG));
  }

  @Test
  void xWinsOverFlagsAndAShorterDeliveryTimeoutShortensTheWaitForMetadata() {
    Properties shorter = settings("--acks", "1", "-X", "acks=0", "-X", "delivery.timeout.ms=30000");
    Properties own = settings("-X", "delivery.timeout.ms=30000", "-X", "max.block.ms=5000");

    assertEquals("0", shorter.getProperty(ProducerConfig.ACKS_CONFIG));
    assertEquals("30000", shorter.getProperty(ProducerConfig.MAX_BLOCK_MS_CONFIG));
    assertEquals("5000", own.getProperty(ProducerConfig.MAX_BLOCK_MS_CONFIG), "one's own wins");
  }

  @Test
  void aBadValueFailsBeforeAnyNetwork() {
    ConfigException bad =
        assertThrows(ConfigException.class, () -> settings("-X", "linger.ms=soon"));

    assertTrue(bad.getMessage().contains("linger.ms"), bad.getMessage());
  }
}
