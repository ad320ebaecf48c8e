package dev.kafkademo.cli.commands;

import dev.kafkademo.backup.BackupException;
import dev.kafkademo.backup.Restore;
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
import java.util.LinkedHashMap;
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
import picocli.CommandLine.Spec;

@Command(
    name = "restore",
    mixinStandardHelpOptions = true,
    description = {
      "Restore a backup into the cluster of --bootstrap-server: each topic created with its"
          + " partition count and settings, each record written to its original partition, in"
          + " order, with its key, value, headers and timestamp (idempotent producer), then each"
          + " group's committed offsets translated to the restored records.",
      "The backup is verified first; a damaged one restores nothing. A topic that exists and holds"
          + " other records is refused (exit 3) unless --append. Stopped with Ctrl-C, the same"
          + " restore run again goes on without writing a record twice.",
      "With --schema-registry, the backup's Avro schemas are registered there, and where they get"
          + " other ids the records' ids are rewritten to match."
    })
public final class RestoreCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--from",
      required = true,
      paramLabel = "DIR",
      description = "The backup's directory.")
  Path dir;

  @Option(
      names = {"-t", "--topic"},
      paramLabel = "TOPIC",
      description = "Restore only this topic of the backup (repeat); default: all of them.")
  List<String> topics = new ArrayList<>();

  @Option(
      names = "--rename",
      paramLabel = "OLD=NEW",
      description =
          "Restore topic OLD of the backup as NEW (repeat); its groups' offsets and schema"
              + " subjects follow.")
  Map<String, String> renames = new LinkedHashMap<>();

  @Option(
      names = "--append",
      description = "Add after the records of a topic that holds others (default: refuse, exit 3).")
  boolean append;

  @Mixin ConnectionOptions connection;

  @Mixin RegistryOptions registry;

  @Override
  public Integer call() {
    KafkaNames.Topic names = new KafkaNames.Topic();
    renames.forEach(
        (from, to) -> {
          try {
            names.convert(to);
          } catch (Exception e) {
            throw new ParameterException(
                spec.commandLine(), "--rename " + from + "=" + to + ": " + e.getMessage());
          }
        });
    try {
      Verification.readManifest(dir); // before the cluster is asked anything
    } catch (BackupException e) {
      throw BackupCommand.translate(e);
    }
    PrintWriter err = spec.commandLine().getErr();
    // One set of settings for the producer, the consumer and the admin client, warned about once.
    Properties settings =
        connection.clientProperties(
            Map.of(), Map.of(), ClientKind.PRODUCER, ClientKind.CONSUMER, ClientKind.ADMIN);
    try (Cluster cluster = Cluster.connect(settings, connection.timeout())) {
      Restore restore = new Restore(cluster, settings, connection.timeout());
      Optional<RegistryClient> schemas = registry.clientIfGiven(connection);
      Restore.Result result;
      try (ShutdownSignal stop =
              ShutdownSignal.install(
                  () -> {},
                  "records sent may not be acknowledged yet; the next restore starts after those"
                      + " that are there");
          ProgressTicker progress =
              ProgressTicker.every(
                  Duration.ofSeconds(2), () -> BackupReport.progressOfRestore(err, restore))) {
        result =
            restore.run(
                new Restore.Request(dir, topics, renames, append, schemas), stop::requested);
        progress.close();
        BackupReport.restored(err, result);
      } catch (BackupException e) {
        throw BackupCommand.translate(e);
      }
      if (result.failed() > 0) {
        throw new CliException(
            String.format(
                "%,d records were not acknowledged (%s); the groups' offsets were not set. Run the"
                    + " same restore again once the cluster is healthy: it goes on after the"
                    + " records there",
                result.failed(), result.failure()));
      }
    }
    return ExitCodes.OK;
  }
}
