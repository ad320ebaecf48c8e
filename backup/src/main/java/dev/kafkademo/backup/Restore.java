package dev.kafkademo.backup;

import dev.kafkademo.kafka.ClientDefaults;
import dev.kafkademo.kafka.admin.Cluster;
import dev.kafkademo.kafka.admin.Groups;
import dev.kafkademo.kafka.admin.Topics;
import dev.kafkademo.registry.RegistryClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.record.TimestampType;

/**
 * Restores a backup into a cluster: each topic created with its partition count and settings, each
 * record written to its original partition, in order, with its key, value, headers and timestamp,
 * by an idempotent producer; then each group's committed offsets, translated to the offsets the
 * records have now. A topic that holds the start of this same backup (a restore that was stopped)
 * is resumed where its end says; one that holds other records is refused, unless appended to.
 */
public final class Restore {
  /**
   * @param topics the backup's topics to restore; empty: all of them
   * @param renames topic names of the backup to the names they get
   * @param append whether to add after the records of a topic that holds other records
   * @param registry where the records' Avro schemas are registered, or empty: ids kept as they are
   */
  public record Request(
      Path dir,
      List<String> topics,
      Map<String, String> renames,
      boolean append,
      Optional<RegistryClient> registry) {}

  /**
   * @param written records this run wrote (and the cluster acknowledged)
   * @param alreadyThere records of the backup a stopped restore had written before
   * @param idsRewritten records whose key or value now names its schema by a new id
   */
  public record TopicRestored(
      String from,
      String to,
      boolean created,
      long written,
      long alreadyThere,
      long inBackup,
      long idsRewritten) {}

  public record GroupRestored(String group, List<Manifest.Position> offsets) {}

  /** A schema that the restore's registry knows by another id; the records say the new one. */
  public record SchemaChange(String subject, int oldId, int newId) {}

  /**
   * @param failed records the cluster did not acknowledge; the first one's reason in {@code
   *     failure}
   * @param stopped whether a stop request ended it early (groups' offsets then not set)
   */
  public record Result(
      List<TopicRestored> topics,
      long acknowledged,
      long failed,
      String failure,
      List<GroupRestored> groups,
      List<SchemaChange> schemaChanges,
      boolean stopped,
      Duration elapsed,
      List<String> warnings) {}

  private final Cluster cluster;
  private final Properties clientSettings;
  private final Duration timeout;
  private final AtomicLong acknowledged = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicReference<Exception> firstFailure = new AtomicReference<>();

  /**
   * @param clientSettings the user's client settings (address, security, -X), for the producer and
   *     the consumer that looks at a topic's records
   */
  public Restore(Cluster cluster, Properties clientSettings, Duration timeout) {
    this.cluster = cluster;
    this.clientSettings = clientSettings;
    this.timeout = timeout;
  }

  public long acknowledgedSoFar() {
    return acknowledged.get();
  }

  /** A topic of the backup, where it goes and from which record of each partition. */
  private record Plan(
      Manifest.TopicBackup backup,
      String target,
      boolean created,
      Map<Integer, Long> skip,
      Map<Integer, Long> base,
      Map<Integer, Integer> keyIds,
      Map<Integer, Integer> valueIds) {}

  public Result run(Request request, BooleanSupplier stopRequested) {
    long started = System.nanoTime();
    Path dir = request.dir();
    Manifest manifest = Verification.readManifest(dir);
    List<Manifest.TopicBackup> selected = select(manifest, request);
    Set<String> names = new LinkedHashSet<>();
    selected.forEach(t -> names.add(t.name()));

    Verification.Report report = Verification.verify(dir, manifest, names::contains, false);
    if (!report.ok()) {
      throw new BackupException(
          BackupException.Kind.DAMAGED,
          "The backup in "
              + dir
              + " fails verification, so nothing was restored: "
              + report.problems().get(0)
              + (report.problems().size() > 1
                  ? " (and " + (report.problems().size() - 1) + " more problems)"
                  : ""));
    }

    List<String> warnings = new ArrayList<>();
    List<SchemaChange> schemaChanges = new ArrayList<>();
    Map<String, Map<Integer, Integer>> keyIds = new HashMap<>();
    Map<String, Map<Integer, Integer>> valueIds = new HashMap<>();
    List<Manifest.SavedSchema> schemas =
        manifest.schemas() == null
            ? List.of()
            : manifest.schemas().stream().filter(s -> names.contains(s.topic())).toList();
    if (!schemas.isEmpty() && request.registry().isEmpty()) {
      warnings.add(
          "the backup holds "
              + schemas.size()
              + " Avro schema(s); without --schema-registry the records keep their schema ids,"
              + " which the registry their readers use must have");
    }
    request
        .registry()
        .ifPresent(
            registry -> {
              for (Manifest.SavedSchema schema : schemas) {
                String target = target(request, schema.topic());
                String suffix = schema.key() ? "-key" : "-value";
                String subject =
                    schema.subject().equals(schema.topic() + suffix)
                        ? target + suffix
                        : schema.subject();
                int id = registry.register(subject, schema.schema());
                if (id != schema.id()) {
                  (schema.key() ? keyIds : valueIds)
                      .computeIfAbsent(schema.topic(), t -> new HashMap<>())
                      .put(schema.id(), id);
                  schemaChanges.add(new SchemaChange(subject, schema.id(), id));
                }
              }
            });

    List<Plan> plans = new ArrayList<>();
    for (Manifest.TopicBackup topic : selected) {
      plans.add(
          plan(
              dir,
              topic,
              target(request, topic.name()),
              request.append(),
              keyIds.getOrDefault(topic.name(), Map.of()),
              valueIds.getOrDefault(topic.name(), Map.of())));
    }

    // Each committed offset of the groups, per partition of the backup, to translate.
    Map<TopicPartition, TreeSet<Long>> wanted = new HashMap<>();
    List<Manifest.GroupOffsets> groups = new ArrayList<>();
    for (Manifest.GroupOffsets group : manifest.groups()) {
      List<Manifest.Position> positions =
          group.offsets().stream().filter(p -> names.contains(p.topic())).toList();
      if (!positions.isEmpty()) {
        groups.add(new Manifest.GroupOffsets(group.group(), positions));
        positions.forEach(
            p ->
                wanted
                    .computeIfAbsent(
                        new TopicPartition(p.topic(), p.partition()), tp -> new TreeSet<>())
                    .add(p.offset()));
      }
    }

    Map<TopicPartition, Map<Long, Long>> translated = new HashMap<>();
    List<Acknowledgement> acknowledgements = new ArrayList<>();
    boolean stopped = false;
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerSettings())) {
      sending:
      for (Plan plan : plans) {
        Acknowledgement acknowledgement = new Acknowledgement(plan);
        acknowledgements.add(acknowledgement);
        for (Manifest.PartitionBackup partition : plan.backup().partitions()) {
          TopicPartition original = new TopicPartition(plan.backup().name(), partition.partition());
          OffsetTranslation translation =
              new OffsetTranslation(
                  wanted.getOrDefault(original, new TreeSet<>()),
                  plan.base().get(partition.partition()));
          long skip = plan.skip().get(partition.partition());
          long index = 0;
          for (Manifest.FileEntry file : partition.files()) {
            long fileEnd = index + file.records();
            try (RecordFiles.Reader reader = new RecordFiles.Reader(dir.resolve(file.file()))) {
              while (reader.hasNext()) {
                BackedUpRecord record = reader.next();
                translation.passing(record.offset(), index);
                if (index++ < skip) {
                  continue;
                }
                if (firstFailure.get() != null) {
                  break sending;
                }
                if (stopRequested.getAsBoolean()) {
                  stopped = true;
                  break sending;
                }
                byte[] key = SchemaIds.rewrite(record.key(), plan.keyIds());
                byte[] value = SchemaIds.rewrite(record.value(), plan.valueIds());
                if (key != record.key() || value != record.value()) {
                  acknowledgement.idsRewritten++;
                }
                if (record.timestampType() == TimestampType.CREATE_TIME) {
                  acknowledgement.oldest = Math.min(acknowledgement.oldest, record.timestamp());
                }
                producer.send(
                    new ProducerRecord<>(
                        plan.target(),
                        partition.partition(),
                        record.timestampType() == TimestampType.NO_TIMESTAMP_TYPE
                            ? null
                            : record.timestamp(),
                        key,
                        value,
                        record.headers()),
                    acknowledgement);
              }
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
            if (index != fileEnd) {
              // Its checksum was right, so the manifest was changed by hand.
              throw new BackupException(
                  BackupException.Kind.DAMAGED,
                  file.file()
                      + " holds "
                      + (index - fileEnd + file.records())
                      + " records and the manifest says "
                      + file.records()
                      + ": stopped with the records before it restored");
            }
          }
          acknowledgement.alreadyThere += Math.min(skip, index);
          translated.put(original, translation.finish(index));
        }
      }
      producer.flush();
    }

    acknowledgements.forEach(a -> retentionWarning(a.plan, a.oldest).ifPresent(warnings::add));

    List<GroupRestored> groupsRestored = new ArrayList<>();
    if (!stopped && failed.get() == 0) {
      for (Manifest.GroupOffsets group : groups) {
        List<Groups.Position> positions = new ArrayList<>();
        List<Manifest.Position> set = new ArrayList<>();
        for (Manifest.Position p : group.offsets()) {
          String target = target(request, p.topic());
          long offset =
              translated.get(new TopicPartition(p.topic(), p.partition())).get(p.offset());
          positions.add(new Groups.Position(target, p.partition(), offset));
          set.add(new Manifest.Position(target, p.partition(), offset));
        }
        try {
          cluster.groups().setOffsets(group.group(), positions, true);
        } catch (Groups.GroupActiveException e) {
          throw new BackupException(
              BackupException.Kind.FAILED,
              e.getMessage()
                  + "; the records are restored: run the same restore again to set the offsets",
              e);
        }
        groupsRestored.add(new GroupRestored(group.group(), set));
      }
    }
    Exception failure = firstFailure.get();
    return new Result(
        acknowledgements.stream().map(Acknowledgement::restored).toList(),
        acknowledged.get(),
        failed.get(),
        failure == null ? null : failure.getMessage(),
        groupsRestored,
        schemaChanges,
        stopped,
        Duration.ofNanos(System.nanoTime() - started),
        warnings);
  }

  /**
   * Time-based retention counts from a record's timestamp, which a restore keeps: records older
   * than the topic's retention.ms are deleted at the broker's next retention check.
   */
  private Optional<String> retentionWarning(Plan plan, long oldest) {
    if (oldest == Long.MAX_VALUE) {
      return Optional.empty();
    }
    long retention =
        Long.parseLong(cluster.topics().config(plan.target(), "retention.ms").orElse("-1"));
    if (retention < 0 || oldest >= System.currentTimeMillis() - retention) {
      return Optional.empty();
    }
    return Optional.of(
        "records of "
            + plan.target()
            + " are older than its retention.ms ("
            + retention
            + " ms): the broker deletes them at its next retention check. To keep them, create"
            + " the topic first with "
            + plan.backup().partitionCount()
            + " partitions and a longer retention.ms, then restore into it");
  }

  /** Counts one topic's records as the cluster acknowledges them, and the restore's. */
  private final class Acknowledgement implements Callback {
    private final Plan plan;
    private final AtomicLong written = new AtomicLong();
    private long alreadyThere;
    private long idsRewritten;
    private long oldest = Long.MAX_VALUE;

    Acknowledgement(Plan plan) {
      this.plan = plan;
    }

    TopicRestored restored() {
      return new TopicRestored(
          plan.backup().name(),
          plan.target(),
          plan.created(),
          written.get(),
          alreadyThere,
          plan.backup().records(),
          idsRewritten);
    }

    @Override
    public void onCompletion(RecordMetadata metadata, Exception exception) {
      if (exception == null) {
        written.incrementAndGet();
        acknowledged.incrementAndGet();
      } else {
        failed.incrementAndGet();
        firstFailure.compareAndSet(null, exception);
      }
    }
  }

  private List<Manifest.TopicBackup> select(Manifest manifest, Request request) {
    List<Manifest.TopicBackup> selected = new ArrayList<>();
    if (request.topics().isEmpty()) {
      selected.addAll(manifest.topics());
    } else {
      for (String name : new LinkedHashSet<>(request.topics())) {
        selected.add(
            manifest
                .topic(name)
                .orElseThrow(
                    () ->
                        new BackupException(
                            BackupException.Kind.NOT_FOUND,
                            "The backup in "
                                + request.dir()
                                + " has no topic "
                                + name
                                + " (it has: "
                                + String.join(
                                    ", ",
                                    manifest.topics().stream()
                                        .map(Manifest.TopicBackup::name)
                                        .toList())
                                + ")")));
      }
    }
    for (String from : request.renames().keySet()) {
      if (selected.stream().noneMatch(t -> t.name().equals(from))) {
        throw new BackupException(
            BackupException.Kind.BAD_INPUT,
            "--rename "
                + from
                + "=...: "
                + from
                + " is not among the topics restored ("
                + String.join(", ", selected.stream().map(Manifest.TopicBackup::name).toList())
                + ")");
      }
    }
    return selected;
  }

  private static String target(Request request, String topic) {
    return request.renames().getOrDefault(topic, topic);
  }

  private Plan plan(
      Path dir,
      Manifest.TopicBackup backup,
      String target,
      boolean append,
      Map<Integer, Integer> keyIds,
      Map<Integer, Integer> valueIds) {
    Map<Integer, Long> skip = new HashMap<>();
    Map<Integer, Long> base = new HashMap<>();
    Optional<Topics.Details> existing = describe(target);
    if (existing.isEmpty()) {
      try {
        cluster
            .topics()
            .create(
                target, Optional.of(backup.partitionCount()), Optional.empty(), backup.configs());
        cluster.topics().awaitLeaders(target);
        backup.partitions().forEach(p -> skip.put(p.partition(), 0L));
        backup.partitions().forEach(p -> base.put(p.partition(), 0L));
        return new Plan(backup, target, true, skip, base, keyIds, valueIds);
      } catch (TopicExistsException e) {
        existing = describe(target); // made in the meantime: looked at like any existing one
      }
    }
    Topics.Details topic = existing.orElseThrow();
    if (topic.partitions().size() != backup.partitionCount()) {
      throw new BackupException(
          BackupException.Kind.BAD_INPUT,
          "Topic "
              + target
              + " has "
              + topic.partitions().size()
              + " partitions and the backup of "
              + backup.name()
              + " "
              + backup.partitionCount()
              + ": each record goes back to its own partition, so restore into a new topic"
              + " (--rename "
              + backup.name()
              + "=NEW)");
    }
    long held = 0;
    for (Topics.PartitionDetails p : topic.partitions()) {
      held += p.latestOffset() - p.earliestOffset();
    }
    Plan probe = new Plan(backup, target, false, skip, base, keyIds, valueIds);
    if (held == 0) {
      topic.partitions().forEach(p -> skip.put(p.partition(), 0L));
      topic.partitions().forEach(p -> base.put(p.partition(), p.latestOffset()));
    } else if (holdsStartOfBackup(dir, probe, topic)) {
      topic
          .partitions()
          .forEach(p -> skip.put(p.partition(), p.latestOffset() - p.earliestOffset()));
      topic.partitions().forEach(p -> base.put(p.partition(), p.earliestOffset()));
    } else if (append) {
      topic.partitions().forEach(p -> skip.put(p.partition(), 0L));
      topic.partitions().forEach(p -> base.put(p.partition(), p.latestOffset()));
    } else {
      throw new BackupException(
          BackupException.Kind.TOPIC_NOT_EMPTY,
          "Topic "
              + target
              + " exists and holds "
              + held
              + " records that are not the start of this backup: restore into a new topic"
              + " (--rename "
              + backup.name()
              + "=NEW), or add after them with --append");
    }
    return probe;
  }

  private Optional<Topics.Details> describe(String topic) {
    return cluster.topics().find(topic).map(d -> cluster.topics().describe(topic));
  }

  /**
   * Whether each partition holds exactly the first records of the backup's: a restore of it that
   * was stopped. The first and the last record of each are compared, bytes and timestamp.
   */
  private boolean holdsStartOfBackup(Path dir, Plan plan, Topics.Details topic) {
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerSettings())) {
      for (Topics.PartitionDetails p : topic.partitions()) {
        long held = p.latestOffset() - p.earliestOffset();
        if (held == 0) {
          continue;
        }
        Manifest.PartitionBackup partition = plan.backup().partition(p.partition()).orElseThrow();
        if (held > partition.records()) {
          return false;
        }
        TopicPartition tp = new TopicPartition(plan.target(), p.partition());
        if (!same(plan, recordAt(dir, partition, 0), read(consumer, tp, p.earliestOffset()))
            || !same(
                plan,
                recordAt(dir, partition, held - 1),
                read(consumer, tp, p.latestOffset() - 1))) {
          return false;
        }
      }
      return true;
    }
  }

  private static boolean same(Plan plan, BackedUpRecord saved, ConsumerRecord<byte[], byte[]> now) {
    return now != null
        && Arrays.equals(SchemaIds.rewrite(saved.key(), plan.keyIds()), now.key())
        && Arrays.equals(SchemaIds.rewrite(saved.value(), plan.valueIds()), now.value())
        && (saved.timestampType() != TimestampType.CREATE_TIME
            || saved.timestamp() == now.timestamp())
        && saved.headers().equals(Arrays.asList(now.headers().toArray()));
  }

  /** The backup's record at this index of its partition. */
  private static BackedUpRecord recordAt(Path dir, Manifest.PartitionBackup partition, long index) {
    long before = 0;
    for (Manifest.FileEntry file : partition.files()) {
      if (index < before + file.records()) {
        try (RecordFiles.Reader reader = new RecordFiles.Reader(dir.resolve(file.file()))) {
          for (long i = before; reader.hasNext(); i++) {
            BackedUpRecord record = reader.next();
            if (i == index) {
              return record;
            }
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      before += file.records();
    }
    throw new IllegalStateException("no record " + index + " in the backup's partition");
  }

  /** The record at {@code offset}, or null when none comes within the timeout. */
  private ConsumerRecord<byte[], byte[]> read(
      KafkaConsumer<byte[], byte[]> consumer, TopicPartition tp, long offset) {
    consumer.assign(List.of(tp));
    consumer.seek(tp, offset);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
        if (record.offset() >= offset) {
          return record.offset() == offset ? record : null;
        }
      }
    }
    return null;
  }

  private Properties producerSettings() {
    Properties settings = new Properties();
    settings.putAll(clientSettings);
    settings.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "kafka-demo-restore");
    settings.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, "" + ClientDefaults.BATCH_SIZE);
    settings.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "" + ClientDefaults.LINGER_MS);
    // In order and once per partition: what a restore promises.
    settings.put(ProducerConfig.ACKS_CONFIG, "all");
    settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    return ClientDefaults.finishProducer(settings);
  }

  private Properties consumerSettings() {
    Properties settings = new Properties();
    settings.putAll(clientSettings);
    settings.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "kafka-demo-restore");
    settings.remove(ConsumerConfig.GROUP_ID_CONFIG);
    return ClientDefaults.finishConsumer(settings);
  }
}
