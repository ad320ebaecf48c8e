package dev.kafkademo.cli.options;

import dev.kafkademo.Defaults;
import picocli.CommandLine.Option;

/** {@code -g, --group}: the consumer group of the consumer, and the one doctor checks. */
public final class GroupOption {
  @Option(
      names = {"-g", "--group"},
      paramLabel = "GROUP",
      defaultValue = Defaults.GROUP,
      converter = KafkaNames.Group.class,
      description = "The consumer group (default: ${DEFAULT-VALUE}).")
  public String group;

  public String name() {
    return group;
  }
}
