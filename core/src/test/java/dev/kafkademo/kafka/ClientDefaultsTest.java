package dev.kafkademo.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class ClientDefaultsTest {
  @Test
  void laterLayersWinDefaultsThenFileThenFlagsThenX() {
    Properties file = new Properties();
    file.put("acks", "1");
    file.put("linger.ms", "50");
    file.put("security.protocol", "SASL_SSL");

    Properties merged =
        ClientProperties.merge(
            Map.of("acks", "all", "linger.ms", "5", "client.id", "demo"),
            file,
            Map.of("linger.ms", "20", "batch.size", "1000"),
            Map.of("batch.size", "2000"));

    assertEquals("1", merged.get("acks"), "the file beats our defaults");
    assertEquals("20", merged.get("linger.ms"), "a flag beats the file");
    assertEquals("2000", merged.get("batch.size"), "-X beats a flag");
    assertEquals("SASL_SSL", merged.get("security.protocol"));
    assertEquals("demo", merged.get("client.id"));
  }

  @Test
  void producerIsSafeByDefault() {
    ProducerConfig config = producerConfig(Map.of());

    assertEquals("-1", config.getString("acks"), "all, as the client stores it");
    assertTrue(config.getBoolean("enable.idempotence"), "the client's own default, kept");
    assertEquals(10_000L, config.getLong("max.block.ms"));
  }

  @Test
  void fewerAcksGiveUpIdempotenceByTheClientsOwnRules() {
    assertFalse(producerConfig(Map.of("acks", "1")).getBoolean("enable.idempotence"));
    assertFalse(producerConfig(Map.of("acks", "0")).getBoolean("enable.idempotence"));
  }

  @Test
  void idempotenceTheUserAskedForWithFewerAcksIsRefusedNotDropped() {
    ConfigException refused =
        assertThrows(
            ConfigException.class,
            () -> producerConfig(Map.of("acks", "1", "enable.idempotence", "true")));

    assertTrue(refused.getMessage().contains("acks"), refused.getMessage());
  }

  /** Our defaults, then the user's settings, as the client itself reads them. */
  private static ProducerConfig producerConfig(Map<String, String> user) {
    Properties props = new Properties();
    props.putAll(ClientDefaults.producer(Duration.ofSeconds(10)));
    props.putAll(user);
    props.put("bootstrap.servers", "localhost:9092");
    return new ProducerConfig(ClientDefaults.finishProducer(props));
  }

  @Test
  void consumerNeverAutoCommitsWhateverItIsGiven() {
    Properties props = new Properties();
    props.putAll(ClientDefaults.consumer("g", true));
    props.put("enable.auto.commit", "true");

    ClientDefaults.finishConsumer(props);

    assertEquals("false", props.get("enable.auto.commit"));
    assertEquals("earliest", props.get("auto.offset.reset"));
    assertEquals("g", props.get("group.id"));
    assertEquals("latest", ClientDefaults.consumer("g", false).get("auto.offset.reset"));
    assertEquals("false", props.get("allow.auto.create.topics"), "a typo must not make topics");
  }
}
