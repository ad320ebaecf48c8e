package dev.kafkademo.cli.options;

import java.util.Set;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/** Which Kafka client a command runs, for telling the user about settings it would ignore. */
public enum ClientKind {
  PRODUCER("producer", ProducerConfig.configNames()),
  CONSUMER("consumer", ConsumerConfig.configNames()),
  ADMIN("admin client", AdminClientConfig.configNames()),
  STREAMS("Kafka Streams", StreamsConfig.configDef().names());

  private final String label;
  private final Set<String> settings;

  ClientKind(String label, Set<String> settings) {
    this.label = label;
    this.settings = settings;
  }

  public String label() {
    return label;
  }

  public boolean knows(String name) {
    // The schema registry's settings ride along in the same file, as with Confluent's clients.
    return settings.contains(name)
        || name.equals(RegistryOptions.URL_SETTING)
        || name.equals(RegistryOptions.USER_INFO_SETTING)
        || name.equals("basic.auth.credentials.source");
  }
}
