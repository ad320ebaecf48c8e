package dev.kafkademo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kafkademo.broker.EmbeddedBroker;
import dev.kafkademo.registry.RegistryClient;
import dev.kafkademo.registry.WireFormat;
import dev.kafkademo.support.Cli;
import dev.kafkademo.support.JarProcess;
import dev.kafkademo.support.Names;
import dev.kafkademo.support.RawRecords;
import dev.kafkademo.support.TestBroker;
import dev.kafkademo.support.TestRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backup on one cluster, restore on another (two embedded brokers): the same records per partition,
 * byte for byte, the same settings, and groups that go on reading at the same record.
 */
class BackupRestoreIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static String source;
  private static EmbeddedBroker other;
  private static String target;

  @TempDir Path dir;

  @BeforeAll
  static void startTheOtherCluster() throws IOException {
    source = TestBroker.bootstrapServers();
    other = EmbeddedBroker.start(EmbeddedBroker.Settings.ephemeral());
    target = other.bootstrapServers();
  }

  @AfterAll
  static void stopTheOtherCluster() {
    other.close();
  }

  /** What a user compares: partition, key, value, headers and timestamp; not the offset. */
  record Seen(int partition, String key, String value, List<String> headers, long timestamp) {}

  private static String text(byte[] bytes) {
    return bytes == null ? null : Base64.getEncoder().encodeToString(bytes);
  }

  private static Seen seen(ConsumerRecord<byte[], byte[]> r) {
    List<String> headers = new ArrayList<>();
    r.headers().forEach(h -> headers.add(h.key() + "=" + text(h.value())));
    return new Seen(r.partition(), text(r.key()), text(r.value()), headers, r.timestamp());
  }

  /** Each partition's records in order. */
  private static Map<Integer, List<Seen>> perPartition(String bootstrap, String topic) {
    Map<Integer, List<Seen>> partitions = new TreeMap<>();
    for (ConsumerRecord<byte[], byte[]> r : RawRecords.readAllCommitted(bootstrap, topic)) {
      partitions.computeIfAbsent(r.partition(), p -> new ArrayList<>()).add(seen(r));
    }
    return partitions;
  }

  /** The record a group reads next in a partition: the first at or after its committed offset. */
  private static Seen nextFor(String bootstrap, String topic, TopicPartition tp, long committed) {
    return RawRecords.readAllCommitted(bootstrap, topic).stream()
        .filter(r -> r.partition() == tp.partition() && r.offset() >= committed)
        .findFirst()
        .map(BackupRestoreIT::seen)
        .orElse(null); // at the end: nothing left to read
  }

  private static Cli.Result ok(Cli.Result result) {
    assertEquals(0, result.exitCode(), result.toString());
    return result;
  }

  private static Admin admin(String bootstrap) {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
  }

  @Test
  void aTopicComesBackOnAnotherClusterWithItsRecordsSettingAndGroup() throws Exception {
    String topic = Names.unique("orders");
    String group = Names.unique("billing");
    ok(
        Cli.run(
            "topics",
            "create",
            topic,
            "-b",
            source,
            "--partitions",
            "3",
            "--config",
            "retention.ms=86400000"));
    ok(Cli.run("producer", "-b", source, "-t", topic, "-n", "300", "--users", "30", "-q"));
    long anHourAgo = System.currentTimeMillis() - 3_600_000;
    RawRecords.send(
        source,
        List.of(
            new ProducerRecord<>(
                topic,
                0,
                anHourAgo,
                null,
                new byte[] {0, 1, 2, (byte) 0xff},
                List.of(
                    new RecordHeader("trace-id", "abc".getBytes(StandardCharsets.UTF_8)),
                    new RecordHeader("empty", null))),
            new ProducerRecord<>(
                topic, 1, anHourAgo + 1, (byte[]) null, (byte[]) null))); // a tombstone, no key
    // An aborted transaction in partition 2, then a committed one: only the second is backed up.
    Properties tx = new Properties();
    tx.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, source);
    tx.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, Names.unique("tx"));
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(tx, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, 2, null, "aborted".getBytes()));
      producer.abortTransaction();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, 2, null, "committed".getBytes()));
      producer.commitTransaction();
    }
    // The start of the fullest partition deleted, as retention would.
    TopicPartition trimmed =
        new TopicPartition(
            topic,
            perPartition(source, topic).entrySet().stream()
                .max(Map.Entry.comparingByValue(java.util.Comparator.comparingInt(List::size)))
                .orElseThrow()
                .getKey());
    try (Admin admin = admin(source)) {
      admin.deleteRecords(Map.of(trimmed, RecordsToDelete.beforeOffset(5))).all().get();
    }
    ok(Cli.consumer(source, topic, group, "--from-beginning", "--max-messages", "120"));
    Map<TopicPartition, OffsetAndMetadata> committed = RawRecords.committed(source, group);
    assertFalse(committed.isEmpty());

    Cli.Result backup =
        ok(Cli.run("backup", "-b", source, "-t", topic, "-g", group, "--to", dir.toString()));
    Map<Integer, List<Seen>> original = perPartition(source, topic);
    long total = original.values().stream().mapToLong(List::size).sum();
    assertTrue(
        backup.err().contains(String.format("Backed up %,d records", total)), backup.toString());
    Cli.Result verified = ok(Cli.run("backup", "verify", dir.toString()));
    assertTrue(verified.out().contains(String.format("OK, 3 file(s), %,d records", total)));

    Cli.Result restore = ok(Cli.run("restore", "-b", target, "--from", dir.toString()));
    assertTrue(restore.err().contains(topic + " (created)"), restore.toString());

    assertEquals(original, perPartition(target, topic));
    assertTrue(
        original.get(2).stream().noneMatch(r -> r.value().equals(text("aborted".getBytes()))));
    assertTrue(
        ok(Cli.run("topics", "describe", topic, "-b", target))
            .out()
            .contains("retention.ms=86400000"));
    Map<TopicPartition, OffsetAndMetadata> restored = RawRecords.committed(target, group);
    assertEquals(committed.keySet(), restored.keySet());
    for (var e : committed.entrySet()) {
      assertEquals(
          nextFor(source, topic, e.getKey(), e.getValue().offset()),
          nextFor(target, topic, e.getKey(), restored.get(e.getKey()).offset()),
          "the record group " + group + " reads next in " + e.getKey());
    }
    // The trimmed partition starts at 0 again, so the group's offset there is another number.
    assertEquals(
        committed.get(trimmed).offset() - 5, restored.get(trimmed).offset(), "in " + trimmed);
  }

  @Test
  void aSecondBackupAddsExactlyTheNewRecords() throws Exception {
    String topic = Names.unique("events");
    ok(Cli.run("topics", "create", topic, "-b", source, "--partitions", "2"));
    ok(Cli.run("producer", "-b", source, "-t", topic, "-n", "50", "-q"));
    ok(Cli.run("backup", "-b", source, "-t", topic, "--to", dir.toString()));
    ok(Cli.run("producer", "-b", source, "-t", topic, "-n", "30", "-q"));
    Cli.Result second = ok(Cli.run("backup", "-b", source, "-t", topic, "--to", dir.toString()));
    assertTrue(second.err().contains("Backed up 30 records"), second.toString());
    assertTrue(second.err().contains("30 new records since the last backup"), second.toString());
    JsonNode runs = JSON.readTree(dir.resolve("manifest.json").toFile()).path("runs");
    assertEquals(
        List.of(50L, 30L),
        List.of(runs.get(0).path("records").asLong(), runs.get(1).path("records").asLong()));
    Cli.Result third = ok(Cli.run("backup", "-b", source, "-t", topic, "--to", dir.toString()));
    assertTrue(third.err().contains("Backed up 0 records"), third.toString());

    String copy = Names.unique("copy");
    ok(Cli.run("restore", "-b", target, "--from", dir.toString(), "--rename", topic + "=" + copy));
    assertEquals(perPartition(source, topic), perPartition(target, copy));
    assertEquals(80, RawRecords.totalRecords(target, copy));
  }

  @Test
  void aFlippedByteFailsVerifyAndRestoresNothing() throws Exception {
    String topic = Names.unique("events");
    ok(Cli.run("topics", "create", topic, "-b", source, "--partitions", "1"));
    ok(Cli.run("producer", "-b", source, "-t", topic, "-n", "200", "-q"));
    ok(Cli.run("backup", "-b", source, "-t", topic, "--to", dir.toString()));
    Path file;
    try (Stream<Path> files = Files.walk(dir)) {
      file = files.filter(f -> f.toString().endsWith(".avro")).findFirst().orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 2] ^= 0x10;
    Files.write(file, bytes);
    String name = dir.relativize(file).toString();

    Cli.Result verify = Cli.run("backup", "verify", dir.toString());
    assertEquals(1, verify.exitCode(), verify.toString());
    assertTrue(verify.out().contains(name + " is damaged"), verify.toString());

    String copy = Names.unique("copy");
    Cli.Result restore =
        Cli.run("restore", "-b", target, "--from", dir.toString(), "--rename", topic + "=" + copy);
    assertEquals(1, restore.exitCode(), restore.toString());
    assertEquals(1, restore.errLines().size(), restore.toString());
    assertTrue(restore.err().contains("fails verification, so nothing was restored"));
    assertTrue(restore.err().contains(name), restore.toString());
    try (Admin admin = admin(target)) {
      assertFalse(admin.listTopics().names().get().contains(copy));
    }
  }

  @Test
  void aStoppedRestoreGoesOnWithoutDuplicatesAndOtherRecordsAreRefused() throws Exception {
    String topic = Names.unique("events");
    ok(Cli.run("topics", "create", topic, "-b", source, "--partitions", "2"));
    ok(Cli.run("producer", "-b", source, "-t", topic, "-n", "30000", "-q"));
    ok(Cli.run("backup", "-b", source, "-t", topic, "--to", dir.toString()));

    String copy = Names.unique("copy");
    String[] restore = {
      "restore",
      "-b",
      target,
      "--from",
      dir.toString(),
      "--rename",
      topic + "=" + copy,
      // small, one-at-a-time requests, and little room to queue them: stopped half-way
      "-X",
      "batch.size=512",
      "-X",
      "max.in.flight.requests.per.connection=1",
      "-X",
      "buffer.memory=65536"
    };
    long restoredBeforeStop;
    try (JarProcess running = JarProcess.start(restore)) {
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> running.err().contains("records restored") || !running.alive());
      assertEquals(143, running.terminate(60), running.toString()); // SIGTERM: as Ctrl-C
      assertFalse(running.err().contains("warning"), running.toString());
      String summary =
          running
              .err()
              .lines()
              .filter(l -> l.startsWith("Stopped: restored"))
              .findFirst()
              .orElseThrow(() -> new AssertionError(running.toString()));
      restoredBeforeStop =
          Long.parseLong(
              summary.replaceAll("Stopped: restored ([\\d,]+) records.*", "$1").replace(",", ""));
    }
    assertTrue(restoredBeforeStop > 0 && restoredBeforeStop < 30_000, "" + restoredBeforeStop);
    assertEquals(restoredBeforeStop, RawRecords.totalRecords(target, copy));

    Cli.Result again =
        ok(
            Cli.run(
                "restore", "-b", target, "--from", dir.toString(), "--rename", topic + "=" + copy));
    assertTrue(
        again.err().contains(String.format("%,d were there already", restoredBeforeStop)),
        again.toString());
    assertEquals(perPartition(source, topic), perPartition(target, copy));

    String other = Names.unique("other");
    ok(Cli.run("topics", "create", other, "-b", target, "--partitions", "2"));
    RawRecords.sendText(target, other, "k", "not from the backup");
    Cli.Result refused =
        Cli.run("restore", "-b", target, "--from", dir.toString(), "--rename", topic + "=" + other);
    assertEquals(3, refused.exitCode(), refused.toString());
    assertTrue(refused.err().contains("--append"), refused.toString());
    ok(
        Cli.run(
            "restore",
            "-b",
            target,
            "--from",
            dir.toString(),
            "--rename",
            topic + "=" + other,
            "--append"));
    assertEquals(30_001, RawRecords.totalRecords(target, other));
  }

  @Test
  void anAvroTopicRestoresReadableIntoAFreshRegistry() throws Exception {
    String registry = TestRegistry.url();
    String topic = Names.unique("avro");
    ok(Cli.run("topics", "create", topic, "-b", source, "--partitions", "2"));
    ok(
        Cli.run(
            "producer",
            "-b",
            source,
            "-t",
            topic,
            "-n",
            "40",
            "--value-format",
            "avro",
            "--schema-registry",
            registry,
            "-q"));
    ok(
        Cli.run(
            "backup",
            "-b",
            source,
            "-t",
            topic,
            "--to",
            dir.toString(),
            "--schema-registry",
            registry));
    int oldId = WireFormat.schemaId(RawRecords.readAll(source, topic).get(0).value());

    try (TestRegistry fresh = TestRegistry.start()) {
      // Other schemas there first, so that the restored one cannot get the id it had.
      RegistryClient freshRegistry =
          new RegistryClient(fresh.registryUrl(), null, Duration.ofSeconds(30));
      for (int i = 0; i <= oldId; i++) {
        freshRegistry.register(
            "unrelated-" + i + "-value",
            "{\"type\":\"record\",\"name\":\"Unrelated" + i + "\",\"fields\":[]}");
      }
      Cli.Result restore =
          ok(
              Cli.run(
                  "restore",
                  "-b",
                  target,
                  "--from",
                  dir.toString(),
                  "--schema-registry",
                  fresh.registryUrl()));
      int newId = WireFormat.schemaId(RawRecords.readAll(target, topic).get(0).value());
      assertNotEquals(oldId, newId);
      assertTrue(
          restore.err().contains("id " + oldId + " in the backup is id " + newId),
          restore.toString());
      assertTrue(restore.err().contains("schema ids rewritten in 40"), restore.toString());

      Cli.Result before =
          ok(
              Cli.consumer(
                  source,
                  topic,
                  Names.unique("g"),
                  "--from-beginning",
                  "--max-messages",
                  "40",
                  "--format",
                  "value",
                  "--schema-registry",
                  registry));
      Cli.Result after =
          ok(
              Cli.consumer(
                  target,
                  topic,
                  Names.unique("g"),
                  "--from-beginning",
                  "--max-messages",
                  "40",
                  "--format",
                  "value",
                  "--schema-registry",
                  fresh.registryUrl()));
      assertEquals(40, after.outLines().size(), after.toString());
      assertEquals(sorted(before.outLines()), sorted(after.outLines()));
    }
  }

  private static List<String> sorted(List<String> lines) {
    return lines.stream().sorted().toList();
  }
}
