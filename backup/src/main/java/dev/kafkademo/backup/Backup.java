package dev.kafkademo.backup;

import dev.kafkademo.kafka.ClientDefaults;
import dev.kafkademo.kafka.admin.Cluster;
import dev.kafkademo.kafka.admin.Groups;
import dev.kafkademo.kafka.admin.Topics;
import dev.kafkademo.registry.RegistryClient;
import dev.kafkademo.registry.RegistryException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Backs up topics into a directory: each partition's records from where the last backup into it
 * stopped (all of them the first time) up to the end the partition has when the backup starts, the
 * topics' settings, the named groups' committed offsets and, with a registry, the Avro schemas the
 * records name. Reads with {@code isolation.level=read_committed}: records of aborted transactions
 * and the transactions' markers are not backed up, and a transaction still open is left for the
 * next backup.
 */
public final class Backup {
  /**
   * @param groups whose committed offsets on these topics are saved
   * @param registry where the schemas of Avro records are asked, or empty: their bytes only
   */
  public record Request(
      List<String> topics, List<String> groups, Path dir, Optional<RegistryClient> registry) {}

  /**
   * @param records backed up by this run
   * @param dataBytes their keys', values' and headers' bytes
   * @param fileBytes the files this run wrote
   * @param stopped whether a stop request ended it early (what was read is saved all the same)
   * @param warnings what the user should know: records deleted before they could be read, ids that
   *     no schema has
   */
  public record Result(
      long records,
      long dataBytes,
      long fileBytes,
      int files,
      Map<String, Long> recordsPerTopic,
      List<String> groups,
      int schemas,
      boolean first,
      boolean stopped,
      Duration elapsed,
      List<String> warnings) {}

  /** How long a backup waits for a partition that should have records and gives none. */
  private final Duration timeout;

  private final Cluster cluster;
  private final Properties consumerSettings;
  private final AtomicLong records = new AtomicLong();
  private final AtomicLong dataBytes = new AtomicLong();

  /**
   * @param consumerSettings the user's client settings (address, security, -X); the backup fixes
   *     what it relies on (byte deserializers, read_committed, no group)
   */
  public Backup(Cluster cluster, Properties consumerSettings, Duration timeout) {
    this.cluster = cluster;
    this.consumerSettings = consumerSettings;
    this.timeout = timeout;
  }

  /** Records read so far by a running backup, for its progress line. */
  public long recordsSoFar() {
    return records.get();
  }

  public long dataBytesSoFar() {
    return dataBytes.get();
  }

  public Result run(Request request, BooleanSupplier stopRequested) {
    long started = System.nanoTime();
    Instant startedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    Path dir = request.dir();
    Optional<Manifest> previous = checkDirectory(dir);
    List<String> warnings = new ArrayList<>();

    Map<String, Topics.Details> topics = new LinkedHashMap<>();
    for (String name : new LinkedHashSet<>(request.topics())) {
      topics.put(name, describe(name, previous));
    }
    // Offsets before records: each committed offset then points into what this run saves.
    Map<String, List<Manifest.Position>> groups = new LinkedHashMap<>();
    for (String group : new LinkedHashSet<>(request.groups())) {
      groups.put(group, offsets(group, topics.keySet(), warnings));
    }

    Map<TopicPartition, Long> from = new HashMap<>();
    for (Topics.Details topic : topics.values()) {
      Optional<Manifest.TopicBackup> before = previous.flatMap(m -> m.topic(topic.name()));
      for (Topics.PartitionDetails p : topic.partitions()) {
        long next =
            before
                .flatMap(t -> t.partition(p.partition()))
                .map(Manifest.PartitionBackup::nextOffset)
                .orElse(0L);
        if (next < p.earliestOffset()) {
          if (before.isPresent()) {
            warnings.add(
                topic.name()
                    + "-"
                    + p.partition()
                    + ": offsets "
                    + next
                    + " to "
                    + (p.earliestOffset() - 1)
                    + " were deleted (retention, deleteRecords) before a backup could read them");
          }
          next = p.earliestOffset();
        }
        from.put(new TopicPartition(topic.name(), p.partition()), next);
      }
    }

    Map<TopicPartition, RecordFiles.Writer> writers = new HashMap<>();
    Map<TopicPartition, Long> nextOffsets = new HashMap<>(from);
    Map<String, Long> perTopic = new TreeMap<>();
    SchemaIds seen = new SchemaIds();
    boolean stopped;
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(settings())) {
      consumer.assign(from.keySet());
      from.forEach(consumer::seek);
      // With read_committed, the end is the last stable offset: an open transaction waits.
      Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(from.keySet(), timeout));
      Set<TopicPartition> reading = new LinkedHashSet<>();
      from.forEach(
          (tp, offset) -> {
            if (offset < end.get(tp)) {
              reading.add(tp);
            }
          });
      consumer.pause(difference(from.keySet(), reading));
      long lastProgress = System.nanoTime();
      while (!reading.isEmpty() && !stopRequested.getAsBoolean()) {
        ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(200));
        for (TopicPartition tp : batch.partitions()) {
          RecordFiles.Writer writer = writers.get(tp);
          for (ConsumerRecord<byte[], byte[]> record : batch.records(tp)) {
            if (writer == null) {
              writer = open(dir, tp, record.offset());
              writers.put(tp, writer);
            }
            writer.append(record);
            seen.note(tp.topic(), record);
          }
          records.addAndGet(batch.records(tp).size());
          lastProgress = System.nanoTime();
        }
        dataBytes.set(writers.values().stream().mapToLong(RecordFiles.Writer::dataBytes).sum());
        List<TopicPartition> done = new ArrayList<>();
        for (TopicPartition tp : reading) {
          long position = consumer.position(tp, timeout);
          nextOffsets.put(tp, position);
          if (position >= end.get(tp)) {
            done.add(tp);
          }
        }
        if (!done.isEmpty()) {
          consumer.pause(done);
          done.forEach(reading::remove);
          lastProgress = System.nanoTime();
        }
        if (System.nanoTime() - lastProgress > timeout.toNanos()) {
          throw new BackupException(
              BackupException.Kind.FAILED,
              "No records from "
                  + reading.iterator().next()
                  + " for "
                  + timeout.toSeconds()
                  + " s although it has more up to offset "
                  + end.get(reading.iterator().next())
                  + ": is its leader available? Nothing of this run was saved");
        }
      }
      stopped = !reading.isEmpty();
      for (TopicPartition tp : reading) {
        nextOffsets.put(tp, consumer.position(tp, timeout));
      }
    } catch (IOException e) {
      closeQuietly(writers.values());
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      closeQuietly(writers.values());
      throw e;
    }

    Map<TopicPartition, Manifest.FileEntry> written = new HashMap<>();
    long fileBytes = 0;
    try {
      for (var e : writers.entrySet()) {
        Manifest.FileEntry entry = e.getValue().finish(dir);
        written.put(e.getKey(), entry);
        fileBytes += entry.bytes();
        perTopic.merge(e.getKey().topic(), entry.records(), Long::sum);
      }
    } catch (IOException e) {
      closeQuietly(writers.values());
      throw new UncheckedIOException(e);
    }
    topics.keySet().forEach(t -> perTopic.putIfAbsent(t, 0L));

    List<Manifest.SavedSchema> schemas =
        new ArrayList<>(previous.map(Manifest::schemas).orElse(List.of()));
    int newSchemas = request.registry().map(r -> saveSchemas(r, seen, schemas, warnings)).orElse(0);

    Manifest manifest =
        merge(
            cluster.id(),
            previous,
            topics,
            nextOffsets,
            written,
            groups,
            schemas,
            startedAt,
            fileBytes);
    try {
      manifest.write(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Result(
        records.get(),
        dataBytes.get(),
        fileBytes,
        written.size(),
        perTopic,
        List.copyOf(groups.keySet()),
        newSchemas,
        previous.isEmpty(),
        stopped,
        Duration.ofNanos(System.nanoTime() - started),
        warnings);
  }

  private Properties settings() {
    Properties settings = new Properties();
    settings.putAll(consumerSettings);
    settings.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "kafka-demo-backup");
    settings.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
    settings.putIfAbsent(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, "" + (4 << 20));
    settings.remove(ConsumerConfig.GROUP_ID_CONFIG);
    settings.put(
        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
        IsolationLevel.READ_COMMITTED.toString().toLowerCase());
    // A position deleted under the backup's feet is an error, never a silent jump.
    settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
    return ClientDefaults.finishConsumer(settings);
  }

  /**
   * The manifest of an earlier backup into {@code dir}, or empty for a new or empty directory.
   *
   * @throws BackupException when it is a file, or a directory of other things
   */
  public static Optional<Manifest> checkDirectory(Path dir) {
    if (!Files.exists(dir)) {
      return Optional.empty();
    }
    if (!Files.isDirectory(dir)) {
      throw new BackupException(BackupException.Kind.BAD_INPUT, dir + " is not a directory");
    }
    Optional<Manifest> manifest;
    try {
      manifest = Manifest.readIfPresent(dir);
    } catch (IOException e) {
      throw new BackupException(
          BackupException.Kind.BAD_INPUT,
          "Cannot read " + dir.resolve(Manifest.FILE) + ": " + e.getMessage(),
          e);
    }
    if (manifest.isEmpty()) {
      try (Stream<Path> entries = Files.list(dir)) {
        if (entries.findAny().isPresent()) {
          throw new BackupException(
              BackupException.Kind.BAD_INPUT,
              dir
                  + " is not empty and holds no backup ("
                  + Manifest.FILE
                  + "): name a new"
                  + " or empty directory, or one an earlier backup wrote");
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return manifest;
  }

  private Topics.Details describe(String name, Optional<Manifest> previous) {
    Topics.Details details;
    try {
      details = cluster.topics().describe(name);
    } catch (UnknownTopicOrPartitionException e) {
      throw new BackupException(
          BackupException.Kind.NOT_FOUND, "Topic " + name + " does not exist", e);
    }
    Optional<Manifest.TopicBackup> before = previous.flatMap(m -> m.topic(name));
    if (before.isPresent() && !before.get().topicId().equals(details.topicId())) {
      throw new BackupException(
          BackupException.Kind.BAD_INPUT,
          "The backup in this directory is of another topic "
              + name
              + " (topic id "
              + before.get().topicId()
              + ", this one's is "
              + details.topicId()
              + ": deleted and made again, or another cluster's): back it up into a new directory");
    }
    return details;
  }

  private List<Manifest.Position> offsets(String group, Set<String> topics, List<String> warnings) {
    List<Groups.Position> exported;
    try {
      exported = cluster.groups().export(group);
    } catch (GroupIdNotFoundException e) {
      throw new BackupException(
          BackupException.Kind.NOT_FOUND, "Group " + group + " does not exist", e);
    }
    List<Manifest.Position> positions =
        exported.stream()
            .filter(p -> topics.contains(p.topic()))
            .map(p -> new Manifest.Position(p.topic(), p.partition(), p.offset()))
            .toList();
    if (positions.isEmpty()) {
      warnings.add("group " + group + " has committed no offset on " + String.join(", ", topics));
    }
    return positions;
  }

  private static RecordFiles.Writer open(Path dir, TopicPartition tp, long firstOffset)
      throws IOException {
    Path file =
        dir.resolve(tp.topic()).resolve("" + tp.partition()).resolve(RecordFiles.name(firstOffset));
    return new RecordFiles.Writer(file, tp.topic(), tp.partition());
  }

  /** Saves the schemas of ids seen that the manifest does not have yet; returns how many. */
  private static int saveSchemas(
      RegistryClient registry,
      SchemaIds seen,
      List<Manifest.SavedSchema> saved,
      List<String> warnings) {
    int added = 0;
    for (SchemaIds.Use use : seen.uses()) {
      boolean known =
          saved.stream()
              .anyMatch(
                  s -> s.topic().equals(use.topic()) && s.key() == use.key() && s.id() == use.id());
      if (known) {
        continue;
      }
      String schema;
      try {
        schema = registry.schema(use.id());
      } catch (RegistryException e) {
        if (e.kind() != RegistryException.Kind.NOT_FOUND) {
          throw e;
        }
        warnings.add(
            use.count()
                + " "
                + (use.key() ? "keys" : "values")
                + " of "
                + use.topic()
                + " start like the registry's wire format with schema id "
                + use.id()
                + ", which "
                + registry.url()
                + " does not have: they are saved as bytes");
        continue;
      }
      String subject = use.topic() + (use.key() ? "-key" : "-value");
      saved.add(new Manifest.SavedSchema(use.topic(), use.key(), use.id(), subject, schema));
      added++;
    }
    return added;
  }

  private static Manifest merge(
      String clusterId,
      Optional<Manifest> previous,
      Map<String, Topics.Details> topics,
      Map<TopicPartition, Long> nextOffsets,
      Map<TopicPartition, Manifest.FileEntry> written,
      Map<String, List<Manifest.Position>> groups,
      List<Manifest.SavedSchema> schemas,
      Instant startedAt,
      long fileBytes) {
    Map<String, Manifest.TopicBackup> merged = new LinkedHashMap<>();
    previous.ifPresent(m -> m.topics().forEach(t -> merged.put(t.name(), t)));
    for (Topics.Details topic : topics.values()) {
      Optional<Manifest.TopicBackup> before = Optional.ofNullable(merged.get(topic.name()));
      List<Manifest.PartitionBackup> partitions = new ArrayList<>();
      for (Topics.PartitionDetails p : topic.partitions()) {
        TopicPartition tp = new TopicPartition(topic.name(), p.partition());
        List<Manifest.FileEntry> files =
            new ArrayList<>(
                before
                    .flatMap(t -> t.partition(p.partition()))
                    .map(Manifest.PartitionBackup::files)
                    .orElse(List.of()));
        Optional.ofNullable(written.get(tp)).ifPresent(files::add);
        partitions.add(new Manifest.PartitionBackup(p.partition(), nextOffsets.get(tp), files));
      }
      Map<String, String> configs = new TreeMap<>(topic.configs());
      configs.values().removeIf("[hidden]"::equals);
      merged.put(
          topic.name(),
          new Manifest.TopicBackup(
              topic.name(),
              topic.topicId(),
              topic.partitions().size(),
              topic.partitions().get(0).replicas().size(),
              configs,
              partitions));
    }
    Map<String, Manifest.GroupOffsets> mergedGroups = new LinkedHashMap<>();
    previous.ifPresent(m -> m.groups().forEach(g -> mergedGroups.put(g.group(), g)));
    groups.forEach(
        (group, offsets) ->
            mergedGroups.put(
                group, mergedOffsets(group, mergedGroups.get(group), offsets, topics.keySet())));
    List<Manifest.Run> runs = new ArrayList<>(previous.map(Manifest::runs).orElse(List.of()));
    long runRecords = written.values().stream().mapToLong(Manifest.FileEntry::records).sum();
    runs.add(new Manifest.Run(startedAt.toString(), runRecords, fileBytes, written.size()));
    return new Manifest(
        Manifest.FORMAT,
        clusterId,
        runs,
        List.copyOf(merged.values()),
        List.copyOf(mergedGroups.values()),
        schemas);
  }

  /** A group's new offsets on these topics, and what an earlier backup saved on others. */
  private static Manifest.GroupOffsets mergedOffsets(
      String group, Manifest.GroupOffsets before, List<Manifest.Position> now, Set<String> topics) {
    List<Manifest.Position> offsets = new ArrayList<>();
    if (before != null) {
      before.offsets().stream().filter(p -> !topics.contains(p.topic())).forEach(offsets::add);
    }
    offsets.addAll(now);
    return new Manifest.GroupOffsets(group, offsets);
  }

  private static Set<TopicPartition> difference(Set<TopicPartition> all, Set<TopicPartition> some) {
    Set<TopicPartition> rest = new LinkedHashSet<>(all);
    rest.removeAll(some);
    return rest;
  }

  private static void closeQuietly(Iterable<RecordFiles.Writer> writers) {
    for (RecordFiles.Writer writer : writers) {
      try {
        writer.close();
      } catch (IOException | RuntimeException e) {
        // the run failed already; its partial files are what is being cleaned up
      }
    }
  }
}
