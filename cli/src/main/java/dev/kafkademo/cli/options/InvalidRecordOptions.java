package dev.kafkademo.cli.options;

import dev.kafkademo.kafka.InvalidRecordPolicy;
import picocli.CommandLine.Option;

/** What a reading command does with records that are not valid events: consumer and streams. */
public final class InvalidRecordOptions {
  @Option(
      names = "--on-error",
      paramLabel = "POLICY",
      converter = PolicyConverter.class,
      description = {
        "A record that is not a valid event: skip reports it and goes on (default);"
            + " fail stops with exit 1, committed up to but not past it;"
            + " dlq forwards it to --dlq-topic, with headers that say why and where from,"
            + " and commits it only once that is written. One of: ${COMPLETION-CANDIDATES}."
      })
  public InvalidRecordPolicy policy = InvalidRecordPolicy.SKIP;

  /** The producer's name for the same choice, taken here too. */
  @Option(names = "--on-invalid", hidden = true, converter = PolicyConverter.class)
  public void setOnInvalid(InvalidRecordPolicy chosen) {
    policy = chosen;
  }

  @Option(
      names = "--dlq-topic",
      paramLabel = "TOPIC",
      converter = KafkaNames.WritableTopic.class,
      description = "Dead-letter topic for --on-error dlq (default: <topic>.dlq).")
  public String dlqTopic;

  public InvalidRecordPolicy policy() {
    return policy;
  }

  /** The dead-letter topic for records of {@code topic}. */
  public String deadLetterTopic(String topic) {
    return dlqTopic != null ? dlqTopic : topic + ".dlq";
  }
}
