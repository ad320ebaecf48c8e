package dev.kafkademo.backup;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a backup directory holds, in {@code manifest.json}: each topic's partition count, settings
 * and files (with counts and checksums), each group's committed offsets, and the Avro schemas the
 * records use. Written last, under a temporary name then moved, so that a backup stopped half-way
 * leaves the previous manifest whole.
 *
 * @param format the layout's version: a newer kafka-demo may write a higher one
 * @param clusterId the cluster the last backup read
 * @param runs one per backup into this directory, oldest first
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Manifest(
    int format,
    String clusterId,
    List<Run> runs,
    List<TopicBackup> topics,
    List<GroupOffsets> groups,
    List<SavedSchema> schemas) {

  public static final String FILE = "manifest.json";

  public static final int FORMAT = 1;

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /**
   * One backup run.
   *
   * @param at when it started, ISO-8601 UTC
   */
  public record Run(String at, long records, long fileBytes, int files) {}

  /**
   * @param topicId the topic's id: a topic deleted and made again under its name has another
   * @param configs the settings that differ from the broker's defaults
   */
  public record TopicBackup(
      String name,
      String topicId,
      int partitionCount,
      int replicationFactor,
      Map<String, String> configs,
      List<PartitionBackup> partitions) {

    public long records() {
      return partitions.stream().mapToLong(PartitionBackup::records).sum();
    }

    public Optional<PartitionBackup> partition(int number) {
      return partitions.stream().filter(p -> p.partition() == number).findFirst();
    }
  }

  /**
   * @param nextOffset where the next backup reads this partition from
   * @param files in offset order
   */
  public record PartitionBackup(int partition, long nextOffset, List<FileEntry> files) {
    public long records() {
      return files.stream().mapToLong(FileEntry::records).sum();
    }
  }

  /**
   * One file of records.
   *
   * @param file its path under the backup directory, with forward slashes
   * @param bytes its size
   * @param sha256 the SHA-256 of its bytes, in hex
   */
  public record FileEntry(
      String file, long firstOffset, long lastOffset, long records, long bytes, String sha256) {}

  public record GroupOffsets(String group, List<Position> offsets) {}

  /** A committed offset: the next record the group reads in that partition. */
  public record Position(String topic, int partition, long offset) {}

  /**
   * An Avro schema the records of a topic name by id in the registry's wire format.
   *
   * @param key whether keys use it (else values)
   * @param subject where it was registered (TopicNameStrategy: topic-value or topic-key)
   */
  public record SavedSchema(String topic, boolean key, int id, String subject, String schema) {}

  public Optional<TopicBackup> topic(String name) {
    return topics.stream().filter(t -> t.name().equals(name)).findFirst();
  }

  /** The directory's manifest, or empty when it has none. */
  public static Optional<Manifest> readIfPresent(Path dir) throws IOException {
    try {
      return Optional.of(read(dir));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /**
   * @throws NoSuchFileException when the directory has no manifest
   * @throws IOException when it cannot be read, or is not a manifest
   */
  public static Manifest read(Path dir) throws IOException {
    Manifest manifest = JSON.readValue(Files.readAllBytes(dir.resolve(FILE)), Manifest.class);
    if (manifest.format() > FORMAT || manifest.topics() == null) {
      throw new IOException(
          "format "
              + manifest.format()
              + " is not one this kafka-demo reads (it reads "
              + FORMAT
              + ")");
    }
    return manifest;
  }

  public void write(Path dir) throws IOException {
    Path partial = dir.resolve(FILE + ".partial");
    JSON.writeValue(partial.toFile(), this);
    Files.move(
        partial,
        dir.resolve(FILE),
        StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }
}
