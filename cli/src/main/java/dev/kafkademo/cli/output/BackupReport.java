package dev.kafkademo.cli.output;

import dev.kafkademo.backup.Backup;
import dev.kafkademo.backup.Restore;
import dev.kafkademo.backup.Verification;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/** What backup, backup verify and restore say when they are done, and while they run. */
public final class BackupReport {
  private BackupReport() {}

  public static void backedUp(PrintWriter err, Backup.Result result, Path dir) {
    err.printf(
        Locale.ROOT,
        "%s %,d records (%s of keys, values and headers) into %s in %s: %,d new file(s), %s%n",
        result.stopped() ? "Stopped: backed up" : "Backed up",
        result.records(),
        bytes(result.dataBytes()),
        dir,
        seconds(result.elapsed()),
        result.files(),
        bytes(result.fileBytes()));
    result
        .recordsPerTopic()
        .forEach(
            (topic, records) ->
                err.printf(
                    Locale.ROOT,
                    "  %s: %,d %s%n",
                    topic,
                    records,
                    result.first() ? "records" : "new records since the last backup"));
    result.groups().forEach(group -> err.printf("  group %s: committed offsets saved%n", group));
    if (result.schemas() > 0) {
      err.printf("  %d Avro schema(s) saved from the registry%n", result.schemas());
    }
    result.warnings().forEach(warning -> err.println("warning: " + warning));
    if (result.stopped()) {
      err.println("The next backup into " + dir + " goes on from where this one stopped.");
    }
  }

  public static void progressOfBackup(PrintWriter err, Backup backup) {
    if (backup.recordsSoFar() == 0) {
      return;
    }
    err.printf(
        Locale.ROOT,
        "... %,d records (%s) read%n",
        backup.recordsSoFar(),
        bytes(backup.dataBytesSoFar()));
    err.flush();
  }

  public static void verified(PrintWriter out, Verification.Report report, Path dir) {
    if (report.ok()) {
      out.printf(
          Locale.ROOT,
          "%s: OK, %d file(s), %,d records, %s, every checksum and count as the manifest says%n",
          dir,
          report.files(),
          report.records(),
          bytes(report.bytes()));
    } else {
      report.problems().forEach(problem -> out.println(dir + ": " + problem));
    }
  }

  public static void restored(PrintWriter err, Restore.Result result) {
    err.printf(
        Locale.ROOT,
        "%s %,d records in %s%s%n",
        result.stopped() ? "Stopped: restored" : "Restored",
        result.acknowledged(),
        seconds(result.elapsed()),
        result.failed() > 0
            ? String.format(Locale.ROOT, ", %,d not acknowledged", result.failed())
            : "");
    for (Restore.TopicRestored topic : result.topics()) {
      err.printf(
          Locale.ROOT,
          "  %s%s: %,d of the backup's %,d records written%s%s%n",
          topic.from().equals(topic.to()) ? topic.to() : topic.from() + " -> " + topic.to(),
          topic.created() ? " (created)" : "",
          topic.written(),
          topic.inBackup(),
          topic.alreadyThere() > 0
              ? String.format(
                  Locale.ROOT,
                  ", %,d were there already (an earlier restore of this backup)",
                  topic.alreadyThere())
              : "",
          topic.idsRewritten() > 0
              ? String.format(Locale.ROOT, ", schema ids rewritten in %,d", topic.idsRewritten())
              : "");
    }
    for (Restore.SchemaChange change : result.schemaChanges()) {
      err.printf(
          "  schema %s: id %d in the backup is id %d in this registry; the records say %d%n",
          change.subject(), change.oldId(), change.newId(), change.newId());
    }
    for (Restore.GroupRestored group : result.groups()) {
      err.printf(
          "  group %s: %d committed offset(s) set, translated to the restored records%n",
          group.group(), group.offsets().size());
    }
    result.warnings().forEach(warning -> err.println("warning: " + warning));
    if (result.stopped()) {
      err.println(
          "Run the same restore again to go on: it starts after the records already there.");
    }
  }

  public static void progressOfRestore(PrintWriter err, Restore restore) {
    if (restore.acknowledgedSoFar() > 0) {
      err.printf(Locale.ROOT, "... %,d records restored%n", restore.acknowledgedSoFar());
      err.flush();
    }
  }

  static String bytes(long bytes) {
    if (bytes < 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    }
    return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
  }

  private static String seconds(Duration elapsed) {
    return String.format(Locale.ROOT, "%.1f s", elapsed.toMillis() / 1000.0);
  }
}
