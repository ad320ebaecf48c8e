package dev.kafkademo.cli.commands;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.kafkademo.cli.CliException;
import dev.kafkademo.cli.ExitCodes;
import dev.kafkademo.cli.FileProblems;
import dev.kafkademo.cli.options.ConnectionOptions;
import dev.kafkademo.cli.options.KafkaNames;
import dev.kafkademo.cli.options.OutputOptions;
import dev.kafkademo.cli.options.PointInTimeConverter;
import dev.kafkademo.events.EventJson;
import dev.kafkademo.kafka.admin.Cluster;
import dev.kafkademo.kafka.admin.Groups;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "groups",
    mixinStandardHelpOptions = true,
    description =
        "List and describe consumer groups with their lag, export and reset their offsets, like kafka-consumer-groups.")
public final class GroupsCommand {
  @Spec CommandSpec spec;

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Consumer groups and their state.")
  int list(@Mixin ConnectionOptions connection, @Mixin OutputOptions output) {
    try (Cluster cluster = connection.connect()) {
      var groups = cluster.groups().list();
      PrintWriter out = spec.commandLine().getOut();
      if (output.json()) {
        OutputOptions.printJson(out, groups);
      } else {
        List<List<String>> rows = new ArrayList<>();
        groups.forEach(g -> rows.add(List.of(g.groupId(), g.state(), g.type())));
        OutputOptions.printTable(out, List.of("GROUP", "STATE", "TYPE"), rows);
      }
    }
    return ExitCodes.OK;
  }

  @Command(
      name = "describe",
      mixinStandardHelpOptions = true,
      description = {
        "State, members, and per partition the committed offset, the log end and the lag.",
        "A partition without a committed offset counts its lag from the start of its log."
      })
  int describe(
      @Parameters(paramLabel = "GROUP", converter = KafkaNames.Group.class) String group,
      @Mixin ConnectionOptions connection,
      @Mixin OutputOptions output) {
    try (Cluster cluster = connection.connect()) {
      Groups.Details details = cluster.groups().describe(group);
      PrintWriter out = spec.commandLine().getOut();
      if (output.json()) {
        OutputOptions.printJson(out, details);
        return ExitCodes.OK;
      }
      out.printf(
          "Group %s: %s, %d member(s), total lag %,d%n",
          group, details.state(), details.members().size(), details.totalLag());
      List<List<String>> rows = new ArrayList<>();
      for (Groups.PartitionLag p : details.partitions()) {
        rows.add(
            List.of(
                p.topic(),
                "" + p.partition(),
                p.committed() == null ? "-" : "" + p.committed(),
                "" + p.logEnd(),
                "" + p.lag(),
                p.owner() == null ? "-" : p.owner()));
      }
      OutputOptions.printTable(
          out, List.of("TOPIC", "PARTITION", "COMMITTED", "LOG-END", "LAG", "CONSUMER"), rows);
      details
          .members()
          .forEach(
              m ->
                  out.printf(
                      "Member %s (%s, %s): %s%n",
                      m.memberId(), m.clientId(), m.host(), String.join(", ", m.partitions())));
    } catch (GroupIdNotFoundException e) {
      throw notFound(group, e);
    }
    return ExitCodes.OK;
  }

  /** Exactly one way to pick the new offsets. */
  static final class Target {
    @Option(
        names = "--to-earliest",
        required = true,
        description = "The start of each partition: read everything again.")
    boolean earliest;

    @Option(
        names = "--to-latest",
        required = true,
        description = "The end of each partition: skip what is there.")
    boolean latest;

    @Option(
        names = "--to-offset",
        required = true,
        paramLabel = "N",
        description = "Offset N in every partition.")
    Long offset;

    @Option(
        names = "--shift-by",
        required = true,
        paramLabel = "N",
        description = "Move by N (negative: back).")
    Long shift;

    @Option(
        names = "--to-datetime",
        required = true,
        paramLabel = "TIME",
        converter = PointInTimeConverter.class,
        description =
            "The first record at or after TIME in each partition (the end if none):"
                + " 2026-12-04T10:00:00Z, 2026-12-04 (UTC), or a duration ago like 90m, 2h, 3d.")
    Instant datetime;

    @Option(
        names = "--from-file",
        required = true,
        paramLabel = "FILE",
        description =
            "Exactly the offsets in FILE, as groups export writes them (- reads stdin); every"
                + " topic, partition and offset is checked before any is applied.")
    String file;

    Groups.ResetTarget target() {
      if (earliest) {
        return new Groups.ResetTarget(Groups.ResetTarget.Kind.EARLIEST, 0);
      }
      if (latest) {
        return new Groups.ResetTarget(Groups.ResetTarget.Kind.LATEST, 0);
      }
      if (offset != null) {
        return new Groups.ResetTarget(Groups.ResetTarget.Kind.TO_OFFSET, offset);
      }
      if (datetime != null) {
        return new Groups.ResetTarget(Groups.ResetTarget.Kind.TO_DATETIME, datetime.toEpochMilli());
      }
      return new Groups.ResetTarget(Groups.ResetTarget.Kind.SHIFT_BY, shift);
    }
  }

  @Command(
      name = "reset-offsets",
      mixinStandardHelpOptions = true,
      description =
          "Move a group's committed offsets on a topic, or set those of a file. A dry run unless --execute; refused while the group has members.")
  int resetOffsets(
      @Parameters(paramLabel = "GROUP", converter = KafkaNames.Group.class) String group,
      @Option(
              names = "--topic",
              paramLabel = "TOPIC",
              description = "The topic whose offsets move (needed except with --from-file).",
              converter = KafkaNames.Topic.class)
          String topic,
      @ArgGroup(exclusive = true, multiplicity = "1") Target target,
      @Option(names = "--execute", description = "Apply the change (default: only show it).")
          boolean execute,
      @Mixin ConnectionOptions connection,
      @Mixin OutputOptions output) {
    if (target.file != null && topic != null) {
      throw CliException.badInput("--from-file names the topics itself: leave out --topic", null);
    }
    if (target.file == null && topic == null) {
      throw CliException.badInput("Missing --topic: the topic whose offsets move", null);
    }
    if (target.offset != null && target.offset < 0) {
      throw CliException.badInput(
          "--to-offset must be 0 or more, got " + target.offset + " (to move back, use --shift-by)",
          null);
    }
    // A file that cannot be used is found before connecting.
    List<Groups.Position> positions = target.file == null ? null : readPositions(target.file);
    try (Cluster cluster = connection.connect()) {
      List<Groups.OffsetChange> changes =
          positions != null
              ? cluster.groups().setOffsets(group, positions, execute)
              : cluster.groups().resetOffsets(group, topic, target.target(), execute);
      PrintWriter out = spec.commandLine().getOut();
      if (output.json()) {
        OutputOptions.printJson(out, changes);
      } else {
        List<List<String>> rows = new ArrayList<>();
        changes.forEach(
            c ->
                rows.add(
                    List.of(
                        c.topic(),
                        "" + c.partition(),
                        c.current() == null ? "-" : "" + c.current(),
                        "" + c.target())));
        OutputOptions.printTable(out, List.of("TOPIC", "PARTITION", "COMMITTED", "NEW"), rows);
      }
      spec.commandLine()
          .getErr()
          .println(
              execute
                  ? "Offsets of " + group + " reset"
                  : "Dry run: nothing changed. Add --execute to apply.");
    } catch (GroupIdNotFoundException e) {
      throw notFound(group, e);
    } catch (Groups.GroupActiveException e) {
      throw new CliException(e.getMessage(), ExitCodes.FAILURE, e);
    } catch (Groups.InvalidOffsetsException e) {
      throw CliException.badInput("Nothing applied from " + target.file + ": " + e.getMessage(), e);
    } catch (UnknownTopicOrPartitionException e) {
      throw new CliException(
          "Topic " + topic + " does not exist: see kafka-demo topics list", ExitCodes.NOT_FOUND, e);
    }
    return ExitCodes.OK;
  }

  @Command(
      name = "export",
      mixinStandardHelpOptions = true,
      description = {
        "Write a group's committed offsets as JSON on stdout: [{\"topic\", \"partition\", \"offset\"}, ...].",
        "reset-offsets --from-file sets them back, on this cluster or another."
      })
  int export(
      @Parameters(paramLabel = "GROUP", converter = KafkaNames.Group.class) String group,
      @Mixin ConnectionOptions connection) {
    try (Cluster cluster = connection.connect()) {
      List<Groups.Position> positions = cluster.groups().export(group);
      OutputOptions.printJson(spec.commandLine().getOut(), positions);
      spec.commandLine()
          .getErr()
          .println("Exported " + positions.size() + " committed offsets of group " + group);
    } catch (GroupIdNotFoundException e) {
      throw notFound(group, e);
    }
    return ExitCodes.OK;
  }

  /** The offsets of an export file; what is wrong with it, in one line with where. */
  private static List<Groups.Position> readPositions(String file) {
    String name = "-".equals(file) ? "stdin" : file;
    try (InputStream in = "-".equals(file) ? System.in : Files.newInputStream(Path.of(file))) {
      return EventJson.mapper()
          .readerFor(new TypeReference<List<Groups.Position>>() {})
          .with(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
          .with(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .readValue(in);
    } catch (JsonProcessingException e) {
      String problem =
          e instanceof MismatchedInputException mismatch && mismatch.getPath().isEmpty()
              ? "not a JSON array"
              : EventJson.problem(e)
                  .replaceAll(" ?`[^`]*`", "")
                  .replaceAll(";[^(]*\\(line", " (line");
      throw CliException.badInput(
          "Cannot read offsets from "
              + name
              + ": "
              + problem
              + "; expected [{\"topic\": ..., \"partition\": ..., \"offset\": ...}], as groups"
              + " export writes",
          e);
    } catch (IOException e) {
      throw CliException.badInput(
          "Cannot read --from-file " + name + ": " + FileProblems.reason(e), e);
    }
  }

  private static CliException notFound(String group, Exception e) {
    return new CliException(
        "Group " + group + " does not exist: see kafka-demo groups list", ExitCodes.NOT_FOUND, e);
  }
}
