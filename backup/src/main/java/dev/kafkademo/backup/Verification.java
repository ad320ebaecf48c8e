package dev.kafkademo.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/** Every file of a backup against its manifest: there, the same checksum, the same count. */
public final class Verification {
  /** What was checked, and each file that is not as the manifest says, with why. */
  public record Report(int files, long records, long bytes, List<String> problems) {
    public boolean ok() {
      return problems.isEmpty();
    }
  }

  private Verification() {}

  /**
   * @throws BackupException when the directory holds no readable manifest
   */
  public static Report verify(Path dir) {
    return verify(dir, readManifest(dir), topic -> true);
  }

  /** The files of the topics {@code selected} accepts. */
  public static Report verify(Path dir, Manifest manifest, Predicate<String> selected) {
    return verify(dir, manifest, selected, true);
  }

  /**
   * @param counts whether each file's records are counted too (a restore counts them as it reads
   *     them, and checks only the checksums first: one pass less over the backup)
   */
  static Report verify(Path dir, Manifest manifest, Predicate<String> selected, boolean counts) {
    int files = 0;
    long records = 0;
    long bytes = 0;
    List<String> problems = new ArrayList<>();
    for (Manifest.TopicBackup topic : manifest.topics()) {
      if (!selected.test(topic.name())) {
        continue;
      }
      for (Manifest.PartitionBackup partition : topic.partitions()) {
        for (Manifest.FileEntry entry : partition.files()) {
          files++;
          records += entry.records();
          bytes += entry.bytes();
          problem(dir, entry, counts).ifPresent(problems::add);
        }
      }
    }
    return new Report(files, records, bytes, problems);
  }

  /** The checksum first: a damaged file is named so, whatever else its damage breaks. */
  private static Optional<String> problem(Path dir, Manifest.FileEntry entry, boolean counts) {
    Path file = dir.resolve(entry.file());
    try {
      if (!RecordFiles.checksum(file).sha256().equals(entry.sha256())) {
        return Optional.of(entry.file() + " is damaged: its SHA-256 differs from the manifest's");
      }
      long records = counts ? RecordFiles.contents(file).records() : entry.records();
      if (records != entry.records()) {
        return Optional.of(
            entry.file() + " holds " + records + " records, the manifest says " + entry.records());
      }
    } catch (NoSuchFileException e) {
      return Optional.of(entry.file() + " is missing");
    } catch (IOException e) {
      return Optional.of(entry.file() + " cannot be read: " + e.getMessage());
    }
    return Optional.empty();
  }

  /**
   * @throws BackupException when the directory holds no readable manifest
   */
  public static Manifest readManifest(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new BackupException(
          BackupException.Kind.BAD_INPUT, dir + " is not a directory with a backup in it");
    }
    try {
      return Manifest.read(dir);
    } catch (NoSuchFileException e) {
      throw new BackupException(
          BackupException.Kind.BAD_INPUT, dir + " holds no backup: it has no " + Manifest.FILE, e);
    } catch (IOException e) {
      throw new BackupException(
          BackupException.Kind.BAD_INPUT,
          "Cannot read " + dir.resolve(Manifest.FILE) + ": " + e.getMessage(),
          e);
    }
  }
}
