package dev.kafkademo.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
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
    Properties props = new Properties();
    props.putAll(ClientDefaults.producer(Duration.ofSeconds(10)));
    ClientDefaults.finishProducer(props, false);

    assertEquals("all", props.get("acks"));
    assertEquals("true", props.get("enable.idempotence"));
    assertEquals("10000", props.get("max.block.ms"));
  }

  @Test
  void fewerAcksGiveUpIdempotenceUnlessItWasAskedFor() {
    Properties acksOne = new Properties();
    acksOne.putAll(ClientDefaults.producer(Duration.ofSeconds(10)));
    acksOne.put("acks", "1");
    assertEquals("false", ClientDefaults.finishProducer(acksOne, false).get("enable.idempotence"));

    Properties asked = new Properties();
    asked.putAll(ClientDefaults.producer(Duration.ofSeconds(10)));
    asked.put("acks", "1");
    asked.put("enable.idempotence", "true");
    assertEquals(
        "true",
        ClientDefaults.finishProducer(asked, true).get("enable.idempotence"),
        "kept, so that the client itself reports the conflict");
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
  }
}
