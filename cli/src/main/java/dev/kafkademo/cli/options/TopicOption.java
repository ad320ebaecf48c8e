package dev.kafkademo.cli.options;

import dev.kafkademo.Defaults;
import picocli.CommandLine.Option;

/** {@code -t, --topic} of the commands that read a topic: consumer, streams, sql, doctor. */
public final class TopicOption {
  @Option(
      names = {"-t", "--topic"},
      paramLabel = "TOPIC",
      defaultValue = Defaults.TOPIC,
      converter = KafkaNames.Topic.class,
      description = "The topic of user-events (default: ${DEFAULT-VALUE}).")
  public String topic;

  public String name() {
    return topic;
  }
}
