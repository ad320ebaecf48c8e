package dev.kafkademo.cli.commands;

import dev.kafkademo.backup.Backup;
import dev.kafkademo.backup.BackupException;
import dev.kafkademo.backup.Verification;
import dev.kafkademo.cli.CliException;
import dev.kafkademo.cli.ExitCodes;
import dev.kafkademo.cli.ShutdownSignal;
import dev.kafkademo.cli.options.ClientKind;
import dev.kafkademo.cli.options.ConnectionOptions;
import dev.kafkademo.cli.options.KafkaNames;
import dev.kafkademo.cli.options.RegistryOptions;
import dev.kafkademo.cli.output.BackupReport;
import dev.kafkademo.cli.output.ProgressTicker;
import dev.kafkademo.kafka.admin.Cluster;
import dev.kafkademo.registry.RegistryClient;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "backup",
    mixinStandardHelpOptions = true,
    description = {
      "Back up topics into a directory: every record (exact bytes, headers, timestamps, original"
          + " partition and offset) as zstd-compressed Avro files per partition, the topics'"
          + " partition counts and own settings, the groups' committed offsets, and with"
          + " --schema-registry the records' Avro schemas; a manifest.json with counts and"
          + " checksums. Reads committed records only (read_committed).",
      "A second backup into the same directory adds only what is new since the last one.",
      "Restore with kafka-demo restore; check a backup with kafka-demo backup verify DIR."
    })
public final class BackupCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = {"-t", "--topic"},
      paramLabel = "TOPIC",
      converter = KafkaNames.Topic.class,
      description = "A topic to back up (repeat the option for more).")
  List<String> topics = new ArrayList<>();

  @Option(
      names = {"-g", "--group"},
      paramLabel = "GROUP",
      converter = KafkaNames.Group.class,
      description = "A consumer group whose committed offsets on these topics are saved (repeat).")
  List<String> groups = new ArrayList<>();

  @Option(
      names = "--to",
      paramLabel = "DIR",
      description = "The backup's directory: new, empty, or one an earlier backup wrote.")
  Path dir;

  @Mixin ConnectionOptions connection;

  @Mixin RegistryOptions registry;

  @Override
  public Integer call() {
    if (topics.isEmpty()) {
      throw new ParameterException(spec.commandLine(), "Missing --topic: the topics to back up");
    }
    if (dir == null) {
      throw new ParameterException(spec.commandLine(), "Missing --to: the backup's directory");
    }
    try {
      Backup.checkDirectory(dir); // before the cluster is asked anything
    } catch (BackupException e) {
      throw translate(e);
    }
    PrintWriter err = spec.commandLine().getErr();
    // One set of settings for the consumer and the admin client, warned about once.
    Properties settings =
        connection.clientProperties(Map.of(), Map.of(), ClientKind.CONSUMER, ClientKind.ADMIN);
    try (Cluster cluster = Cluster.connect(settings, connection.timeout())) {
      Backup backup = new Backup(cluster, settings, connection.timeout());
      Optional<RegistryClient> schemas = registry.clientIfGiven(connection);
      Backup.Result result;
      try (ShutdownSignal stop =
              ShutdownSignal.install(
                  () -> {}, "this run's records are not saved; the next backup reads them");
          ProgressTicker progress =
              ProgressTicker.every(
                  Duration.ofSeconds(2), () -> BackupReport.progressOfBackup(err, backup))) {
        result = backup.run(new Backup.Request(topics, groups, dir, schemas), stop::requested);
        progress.close();
        BackupReport.backedUp(err, result, dir);
      } catch (BackupException e) {
        throw translate(e);
      }
    }
    return ExitCodes.OK;
  }

  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description =
          "Check a backup: every file there, with the checksum and the record count its manifest"
              + " says. Exit 1, naming the file, when one is missing or damaged.")
  int verify(@Parameters(paramLabel = "DIR", description = "The backup's directory.") Path dir) {
    Verification.Report report;
    try {
      report = Verification.verify(dir);
    } catch (BackupException e) {
      throw translate(e);
    }
    BackupReport.verified(spec.commandLine().getOut(), report, dir);
    return report.ok() ? ExitCodes.OK : ExitCodes.FAILURE;
  }

  /** The one line and the exit code of a backup or restore that cannot go on. */
  static CliException translate(BackupException e) {
    int exitCode =
        switch (e.kind()) {
          case BAD_INPUT -> ExitCodes.USAGE;
          case NOT_FOUND -> ExitCodes.NOT_FOUND;
          case TOPIC_NOT_EMPTY -> ExitCodes.ALREADY_EXISTS;
          case DAMAGED, FAILED -> ExitCodes.FAILURE;
        };
    return new CliException(e.getMessage(), exitCode, e);
  }
}
