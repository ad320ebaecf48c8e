package dev.kafkademo.cli.commands;

import dev.kafkademo.cli.CliException;
import dev.kafkademo.cli.ExitCodes;
import dev.kafkademo.cli.options.ConnectionOptions;
import dev.kafkademo.cli.options.KafkaNames;
import dev.kafkademo.cli.options.OutputOptions;
import dev.kafkademo.kafka.admin.Cluster;
import dev.kafkademo.kafka.admin.Topics;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "topics",
    mixinStandardHelpOptions = true,
    description = "List, create, describe, alter and delete topics, like kafka-topics.")
public final class TopicsCommand {
  @Spec CommandSpec spec;

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Topics with partitions and replication factor.")
  int list(@Mixin ConnectionOptions connection, @Mixin OutputOptions output) {
    try (Cluster cluster = connection.connect()) {
      List<Topics.Summary> topics = cluster.topics().list();
      PrintWriter out = spec.commandLine().getOut();
      if (output.json()) {
        OutputOptions.printJson(out, topics);
      } else {
        List<List<String>> rows = new ArrayList<>();
        topics.forEach(
            t ->
                rows.add(
                    List.of(
                        t.name(),
                        "" + t.partitions(),
                        "" + t.replicationFactor(),
                        t.internal() ? "internal" : "")));
        OutputOptions.printTable(out, List.of("TOPIC", "PARTITIONS", "REPLICATION", ""), rows);
      }
    }
    return ExitCodes.OK;
  }

  @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a topic.")
  int create(
      @Parameters(
              paramLabel = "NAME",
              converter = KafkaNames.Topic.class,
              description = "Topic name.")
          String name,
      @Option(
              names = "--partitions",
              paramLabel = "N",
              description = "Partitions (default: the broker's num.partitions).")
          Integer partitions,
      @Option(
              names = "--replication-factor",
              paramLabel = "N",
              description =
                  "Copies of each partition (default: the broker's default.replication.factor).")
          Short replicationFactor,
      @Option(
              names = "--config",
              paramLabel = "KEY=VALUE",
              description = "Topic setting, e.g. --config retention.ms=86400000.")
          Map<String, String> configs,
      @Mixin ConnectionOptions connection) {
    if (partitions != null && partitions < 1) {
      throw CliException.badInput("--partitions must be at least 1, got " + partitions, null);
    }
    if (replicationFactor != null && replicationFactor < 1) {
      throw CliException.badInput(
          "--replication-factor must be at least 1, got " + replicationFactor, null);
    }
    try (Cluster cluster = connection.connect()) {
      cluster
          .topics()
          .create(
              name,
              Optional.ofNullable(partitions),
              Optional.ofNullable(replicationFactor),
              configs == null ? Map.of() : configs);
      spec.commandLine().getErr().println("Created topic " + name);
    } catch (TopicExistsException e) {
      throw new CliException(
          "Topic " + name + " already exists: see it with kafka-demo topics describe " + name,
          ExitCodes.ALREADY_EXISTS,
          e);
    } catch (InvalidConfigurationException // also an invalid replication factor
        | InvalidPartitionsException
        | PolicyViolationException e) {
      // The broker's own words name the value and the limit, e.g. "Unknown topic config name: x".
      throw CliException.badInput("Cannot create topic " + name + ": " + e.getMessage(), e);
    }
    return ExitCodes.OK;
  }

  @Command(
      name = "describe",
      mixinStandardHelpOptions = true,
      description =
          "Partitions with leader, replicas, in-sync replicas, offsets, and the topic's own settings.")
  int describe(
      @Parameters(paramLabel = "NAME", converter = KafkaNames.Topic.class) String name,
      @Mixin ConnectionOptions connection,
      @Mixin OutputOptions output) {
    try (Cluster cluster = connection.connect()) {
      Topics.Details topic = cluster.topics().describe(name);
      PrintWriter out = spec.commandLine().getOut();
      if (output.json()) {
        OutputOptions.printJson(out, topic);
        return ExitCodes.OK;
      }
      long events =
          topic.partitions().stream().mapToLong(p -> p.latestOffset() - p.earliestOffset()).sum();
      out.printf(
          "Topic %s (id %s): %d partitions, %,d events%n",
          name, topic.topicId(), topic.partitions().size(), events);
      List<List<String>> rows = new ArrayList<>();
      for (Topics.PartitionDetails p : topic.partitions()) {
        rows.add(
            List.of(
                "" + p.partition(),
                p.leader() == null ? "none" : "" + p.leader(),
                join(p.replicas()),
                join(p.isr()),
                "" + p.earliestOffset(),
                "" + p.latestOffset(),
                p.underReplicated() ? "UNDER-REPLICATED" : ""));
      }
      OutputOptions.printTable(
          out, List.of("PARTITION", "LEADER", "REPLICAS", "ISR", "EARLIEST", "LATEST", ""), rows);
      Map<String, String> configs = new LinkedHashMap<>(topic.configs());
      if (configs.isEmpty()) {
        out.println("Settings: all the broker's defaults");
      } else {
        out.println("Settings that differ from the broker's defaults:");
        configs.forEach((k, v) -> out.println("  " + k + "=" + v));
      }
    } catch (UnknownTopicOrPartitionException e) {
      throw notFound(name, e);
    }
    return ExitCodes.OK;
  }

  @Command(
      name = "alter",
      mixinStandardHelpOptions = true,
      description = {
        "Change a topic's settings, leaving the others as they are (incrementalAlterConfigs), and"
            + " add partitions.",
        "An invalid value is refused with the broker's reason, and nothing is changed."
      })
  int alter(
      @Parameters(paramLabel = "NAME", converter = KafkaNames.Topic.class) String name,
      @Option(
              names = "--config",
              paramLabel = "KEY=VALUE",
              description = "Set a setting (repeatable), e.g. --config retention.ms=3600000.")
          Map<String, String> set,
      @Option(
              names = "--delete-config",
              paramLabel = "KEY",
              description = "Return a setting to the broker's default (repeatable).")
          List<String> delete,
      @Option(
              names = "--partitions",
              paramLabel = "N",
              description =
                  "Grow the topic to N partitions. Kafka cannot remove partitions; keyed events"
                      + " written from now on may go to another partition than before.")
          Integer partitions,
      @Mixin ConnectionOptions connection) {
    Map<String, String> toSet = set == null ? Map.of() : set;
    List<String> toDelete = delete == null ? List.of() : delete;
    if (toSet.isEmpty() && toDelete.isEmpty() && partitions == null) {
      throw CliException.badInput(
          "Nothing to change: give --config KEY=VALUE, --delete-config KEY or --partitions N",
          null);
    }
    if (partitions != null && partitions < 1) {
      throw CliException.badInput("--partitions must be at least 1, got " + partitions, null);
    }
    for (String key : toDelete) {
      if (toSet.containsKey(key)) {
        throw CliException.badInput(
            key + " is both set (--config) and deleted (--delete-config): choose one", null);
      }
    }
    PrintWriter err = spec.commandLine().getErr();
    try (Cluster cluster = connection.connect()) {
      Topics topics = cluster.topics();
      // Checked before any change, so that a refused count leaves the settings untouched too.
      int now = topics.partitionCount(name);
      if (partitions != null && partitions < now) {
        throw CliException.badInput(
            "Topic "
                + name
                + " has "
                + now
                + " partitions and Kafka cannot remove partitions: --partitions "
                + partitions
                + " is fewer (to have fewer, create a new topic and copy the events)",
            null);
      }
      if (!toSet.isEmpty() || !toDelete.isEmpty()) {
        topics.alterConfigs(name, toSet, toDelete);
        List<String> changes = new ArrayList<>();
        toSet.forEach((k, v) -> changes.add(k + "=" + v));
        toDelete.forEach(k -> changes.add(k + " back to the broker's default"));
        err.println("Altered topic " + name + ": " + String.join(", ", changes));
      }
      if (partitions != null) {
        if (partitions == now) {
          err.println("Topic " + name + " has " + now + " partitions already: nothing to add");
        } else {
          topics.increasePartitions(name, partitions);
          err.println(
              "Topic "
                  + name
                  + " now has "
                  + partitions
                  + " partitions (was "
                  + now
                  + "). Keyed events written from now on may go to another partition than the"
                  + " same key's earlier events: order per key holds only within each partition.");
        }
      }
    } catch (UnknownTopicOrPartitionException e) {
      throw notFound(name, e);
    } catch (InvalidConfigurationException
        | InvalidPartitionsException
        | InvalidRequestException
        | PolicyViolationException e) {
      throw CliException.badInput("Cannot alter topic " + name + ": " + e.getMessage(), e);
    }
    return ExitCodes.OK;
  }

  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description = "Delete a topic and every event in it.")
  int delete(
      @Parameters(paramLabel = "NAME", converter = KafkaNames.Topic.class) String name,
      @Option(names = "--yes", description = "Really delete (it cannot be undone).") boolean yes,
      @Mixin ConnectionOptions connection) {
    if (!yes) {
      throw CliException.badInput(
          "Deleting " + name + " removes every event in it: add --yes to confirm", null);
    }
    try (Cluster cluster = connection.connect()) {
      cluster.topics().delete(name);
      spec.commandLine().getErr().println("Deleted topic " + name);
    } catch (UnknownTopicOrPartitionException e) {
      throw notFound(name, e);
    }
    return ExitCodes.OK;
  }

  private static CliException notFound(String name, Exception e) {
    return new CliException(
        "Topic " + name + " does not exist: see kafka-demo topics list", ExitCodes.NOT_FOUND, e);
  }

  private static String join(List<Integer> ids) {
    return String.join(",", ids.stream().map(String::valueOf).toList());
  }
}
