package dev.kafkademo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kafkademo.events.EventJson;
import dev.kafkademo.events.EventType;
import dev.kafkademo.support.Cli;
import dev.kafkademo.support.KnownEvents;
import dev.kafkademo.support.Names;
import dev.kafkademo.support.RawRecords;
import dev.kafkademo.support.TestBroker;
import dev.kafkademo.support.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The everyday commands of issue 25 against a real broker: reading from a time, the last N and
 * chosen partitions of records whose timestamps are known, filters over events with headers, raw
 * records with keys and headers, topics alter as the Admin API sees it, and a group's offsets
 * exported and imported back exactly.
 */
class EverydayCommandsIT {
  private static final String BOOTSTRAP = TestBroker.bootstrapServers();

  @TempDir static Path dir;

  @Test
  void fromTimeTailAndPartitionStartWhereTheRecordsTimestampsAndOffsetsSay() {
    // Two partitions, ten events each, one a minute from T0: offset i at T0 + i minutes.
    String topic = Topics.create(BOOTSTRAP, 2);
    sendOneAMinute(topic, 2, 10);

    Cli.Result fromTime = read(topic, "--from-time", at(5 * 60), "--max-messages", "10");
    Cli.Result between = read(topic, "--from-time", at(4 * 60 + 30), "--max-messages", "10");
    Cli.Result afterTheEnd = read(topic, "--from-time", at(60 * 60));
    Cli.Result tail = read(topic, "--tail", "3", "--max-messages", "6");
    String group = Names.unique("one-partition");
    Cli.Result onePartition =
        Cli.consumer(
            BOOTSTRAP,
            topic,
            group,
            "--partition",
            "1",
            "--from-beginning",
            "--format",
            "json",
            "--max-messages",
            "10");

    assertEquals(0, fromTime.exitCode(), fromTime::toString);
    assertEquals(offsets(0, 5, 10, 1, 5, 10), shown(fromTime), fromTime::toString);
    assertEquals(offsets(0, 5, 10, 1, 5, 10), shown(between), between::toString);
    assertEquals(0, afterTheEnd.exitCode(), afterTheEnd::toString);
    assertEquals(Set.of(), shown(afterTheEnd), afterTheEnd::toString);
    assertEquals(offsets(0, 7, 10, 1, 7, 10), shown(tail), tail::toString);
    assertEquals(0, onePartition.exitCode(), onePartition::toString);
    assertEquals(offsets(1, 0, 10), shown(onePartition), onePartition::toString);
    assertEquals(
        Map.of(new TopicPartition(topic, 1), 10L),
        committedOffsets(group),
        "with --partition the group commits what it read, of that partition only");
  }

  @Test
  void fromTimeTakesADurationAgo() {
    // Records 5 h, 3 h, 1 h and 10 min old: "2h" starts at the one an hour old.
    String topic = Topics.create(BOOTSTRAP, 1);
    Instant now = Instant.now();
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (Duration age :
        List.of(
            Duration.ofHours(5),
            Duration.ofHours(3),
            Duration.ofHours(1),
            Duration.ofMinutes(10))) {
      records.add(timed(topic, 0, now.minus(age), "user-1"));
    }
    RawRecords.send(BOOTSTRAP, records);

    Cli.Result twoHours = read(topic, "--from-time", "2h", "--max-messages", "2");
    Cli.Result fourHours = read(topic, "--from-time", "240m", "--max-messages", "3");

    assertEquals(offsets(0, 2, 4), shown(twoHours), twoHours::toString);
    assertEquals(offsets(0, 1, 4), shown(fourHours), fourHours::toString);
  }

  @Test
  void filterShowsTheMatchingEventsAndCommitsTheOthersToo() throws IOException {
    String topic = Topics.create(BOOTSTRAP, 3);
    // From the web, through the producer with --header: two purchases, one over 10.
    Path web =
        Files.writeString(
            dir.resolve("web.jsonl"),
            String.join(
                    "\n",
                    KnownEvents.event("user-1", EventType.LOGIN, 0),
                    KnownEvents.purchase("user-1", 10, "19.99", "EUR"),
                    KnownEvents.purchase("user-2", 20, "5.00", "EUR"))
                + "\n");
    Cli.Result produced =
        Cli.run(
            "producer",
            "-b",
            BOOTSTRAP,
            "-t",
            topic,
            "--input",
            web.toString(),
            "-H",
            "source=web",
            "-H",
            "trace=t-1",
            "-q");
    // From the app, written by a plain client: a large purchase, and a header that is not text.
    ProducerRecord<byte[], byte[]> app =
        new ProducerRecord<>(
            topic, bytes("user-3"), bytes(KnownEvents.purchase("user-3", 30, "250.00", "USD")));
    app.headers().add(new RecordHeader("source", bytes("app")));
    app.headers().add(new RecordHeader("blob", new byte[] {(byte) 0xff, (byte) 0xfe}));
    RawRecords.send(BOOTSTRAP, List.of(app));
    String group = Names.unique("filter");

    Cli.Result bigWebPurchases =
        Cli.consumer(
            BOOTSTRAP,
            topic,
            group,
            "--from-beginning",
            "--format",
            "json",
            "--idle-timeout",
            "2s",
            "--filter",
            "headers.source == \"web\" && value.eventType == \"purchase\""
                + " && value.properties.amount > 10.0");
    Cli.Result binaryHeader =
        Cli.consumer(
            BOOTSTRAP,
            topic,
            Names.unique("filter"),
            "--from-beginning",
            "--format",
            "json",
            "--max-messages",
            "1",
            "--filter",
            "key == \"user-3\" && 'blob' in headers");
    Cli.Result pretty =
        Cli.consumer(
            BOOTSTRAP,
            topic,
            Names.unique("filter"),
            "--from-beginning",
            "--max-messages",
            "1",
            "--filter",
            "value.eventType == \"login\"");

    assertEquals(0, produced.exitCode(), produced::toString);
    assertEquals(0, bigWebPurchases.exitCode(), bigWebPurchases::toString);
    List<JsonNode> shown = json(bigWebPurchases);
    assertEquals(1, shown.size(), bigWebPurchases::toString);
    assertEquals("user-1", shown.get(0).get("key").asText());
    assertEquals("19.99", shown.get(0).at("/event/properties/amount").asText());
    assertEquals("web", shown.get(0).at("/headers/source").asText());
    assertEquals("t-1", shown.get(0).at("/headers/trace").asText());
    assertTrue(
        bigWebPurchases.err().contains("3 filtered out (read, not shown)"),
        bigWebPurchases::toString);
    assertEquals(
        4L,
        committedOffsets(group).values().stream().mapToLong(Long::longValue).sum(),
        "the filtered-out events are committed like the shown one");

    JsonNode withBlob = json(binaryHeader).get(0);
    assertEquals("app", withBlob.at("/headers/source").asText(), binaryHeader::toString);
    assertEquals("//4=", withBlob.at("/headers/blob").asText(), binaryHeader::toString);
    assertEquals("blob", withBlob.at("/headersBase64/0").asText(), binaryHeader::toString);

    assertTrue(pretty.out().contains("headers: source=web, trace=t-1"), pretty::toString);
  }

  @Test
  void rawLinesWithAKeyDelimiterAndHeadersArriveAsWritten() throws IOException {
    String topic = Topics.create(BOOTSTRAP, 1);
    Path input =
        Files.writeString(
            dir.resolve("raw.txt"), "k1|plain text\n\nno key here\nk2|a|b\n{\"any\":\"json\"}\n");

    Cli.Result produced =
        Cli.run(
            "producer",
            "-b",
            BOOTSTRAP,
            "-t",
            topic,
            "--raw",
            "--input",
            input.toString(),
            "--key-delimiter",
            "|",
            "-H",
            "origin=import",
            "-q");
    List<ConsumerRecord<byte[], byte[]>> records = RawRecords.readAll(BOOTSTRAP, topic);

    assertEquals(0, produced.exitCode(), produced::toString);
    assertTrue(
        produced.err().contains("Sent 4 records to " + topic + ": 4 acknowledged, 0 failed"),
        produced::toString);
    assertTrue(produced.err().contains("Skipped 1 empty line\n"), produced::toString);
    assertTrue(
        produced.err().contains("2 lines had no key delimiter: sent without a key"),
        produced::toString);
    assertEquals(
        List.of("k1=plain text", "null=no key here", "k2=a|b", "null={\"any\":\"json\"}"),
        records.stream().map(r -> text(r.key()) + "=" + text(r.value())).toList());
    assertTrue(
        records.stream()
            .allMatch(r -> "import".equals(text(r.headers().lastHeader("origin").value()))),
        "every record carries the --header");
  }

  @Test
  void topicsAlterChangesWhatTheAdminApiSees() throws Exception {
    String topic = Topics.create(BOOTSTRAP, 2);

    Cli.Result set =
        Cli.run(
            "topics",
            "alter",
            topic,
            "--config",
            "retention.ms=7200000",
            "--config",
            "max.message.bytes=2000000",
            "-b",
            BOOTSTRAP);
    Map<String, ConfigEntry> afterSet = configs(topic);
    Cli.Result invalid =
        Cli.run("topics", "alter", topic, "--config", "retention.ms=soon", "-b", BOOTSTRAP);
    Map<String, ConfigEntry> afterInvalid = configs(topic);
    Cli.Result deleted =
        Cli.run("topics", "alter", topic, "--delete-config", "retention.ms", "-b", BOOTSTRAP);
    Map<String, ConfigEntry> afterDelete = configs(topic);
    Cli.Result described = Cli.run("topics", "describe", topic, "-b", BOOTSTRAP);
    Cli.Result grown = Cli.run("topics", "alter", topic, "--partitions", "5", "-b", BOOTSTRAP);
    int afterGrow = partitions(topic);
    Cli.Result shrink = Cli.run("topics", "alter", topic, "--partitions", "3", "-b", BOOTSTRAP);
    Cli.Result missing =
        Cli.run(
            "topics",
            "alter",
            Names.unique("missing"),
            "--config",
            "retention.ms=1000",
            "-b",
            BOOTSTRAP);

    assertEquals(0, set.exitCode(), set::toString);
    assertEquals("7200000", afterSet.get("retention.ms").value());
    assertEquals(
        ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG, afterSet.get("retention.ms").source());
    assertEquals("2000000", afterSet.get("max.message.bytes").value());

    assertEquals(2, invalid.exitCode(), invalid::toString);
    assertEquals(1, invalid.errLines().size(), invalid::toString);
    assertTrue(invalid.err().contains("retention.ms"), invalid::toString);
    assertEquals("7200000", afterInvalid.get("retention.ms").value(), "nothing changed");

    assertEquals(0, deleted.exitCode(), deleted::toString);
    assertTrue(afterDelete.get("retention.ms").isDefault(), () -> afterDelete.toString());
    assertEquals("2000000", afterDelete.get("max.message.bytes").value(), "the others stay");
    assertTrue(
        described
            .out()
            .contains(
                "Settings that differ from the broker's defaults:\n  max.message.bytes=2000000\n"),
        described::toString);
    assertFalse(described.out().contains("retention.ms="), described::toString);

    assertEquals(0, grown.exitCode(), grown::toString);
    assertEquals(5, afterGrow);
    assertTrue(grown.err().contains("may go to another partition"), grown::toString);
    assertEquals(2, shrink.exitCode(), shrink::toString);
    assertEquals(5, partitions(topic), "a refused shrink changes nothing");
    assertEquals(4, missing.exitCode(), missing::toString);
  }

  @Test
  void exportThenImportRestoresTheGroupsExactOffsets() throws IOException {
    String topic = Topics.create(BOOTSTRAP, 3);
    sendOneAMinute(topic, 3, 10);
    String group = joined(topic, Names.unique("moved"));
    // A group positioned by time: at T0 + 4 min, offset 4 of every partition.
    Cli.Result byTimeDryRun = resetOffsets(group, "--topic", topic, "--to-datetime", at(4 * 60));
    Map<TopicPartition, Long> beforeExecute = committedOffsets(group);
    Cli.Result byTime =
        resetOffsets(group, "--topic", topic, "--to-datetime", at(4 * 60), "--execute");
    // Then each partition somewhere else.
    resetOffsets(group, "--topic", topic, "--shift-by", "3", "--execute");
    Map<TopicPartition, Long> exported = committedOffsets(group);
    Cli.Result export = Cli.run("groups", "export", group, "-b", BOOTSTRAP);
    Path file = Files.writeString(dir.resolve(group + ".json"), export.out());
    resetOffsets(group, "--topic", topic, "--to-earliest", "--execute");
    Map<TopicPartition, Long> moved = committedOffsets(group);
    Cli.Result importDryRun = resetOffsets(group, "--from-file", file.toString());
    Map<TopicPartition, Long> afterDryRun = committedOffsets(group);
    Cli.Result imported = resetOffsets(group, "--from-file", file.toString(), "--execute");
    Map<TopicPartition, Long> restored = committedOffsets(group);

    assertEquals(0, byTimeDryRun.exitCode(), byTimeDryRun::toString);
    assertEquals(
        Map.of(new TopicPartition(topic, 0), 1L), beforeExecute, "a dry run commits nothing");
    assertEquals(0, byTime.exitCode(), byTime::toString);
    assertEquals(
        Map.of(
            new TopicPartition(topic, 0), 7L,
            new TopicPartition(topic, 1), 7L,
            new TopicPartition(topic, 2), 7L),
        exported,
        "--to-datetime put each partition at offset 4, --shift-by 3 then at 7");
    assertEquals(0, export.exitCode(), export::toString);
    assertTrue(export.err().contains("Exported 3 committed offsets"), export::toString);
    assertEquals(Set.of(0L), Set.copyOf(moved.values()));
    assertEquals(0, importDryRun.exitCode(), importDryRun::toString);
    assertEquals(moved, afterDryRun, "a dry run of the file changes nothing");
    assertEquals(0, imported.exitCode(), imported::toString);
    assertEquals(exported, restored);
  }

  @Test
  void anImportWithAnOffsetOutsideTheLogOrAMissingPartitionAppliesNothing() throws IOException {
    String topic = Topics.create(BOOTSTRAP, 2);
    sendOneAMinute(topic, 2, 5);
    String group = joined(topic, Names.unique("guarded"));
    Cli.Result positioned = resetOffsets(group, "--topic", topic, "--to-offset", "2", "--execute");
    Map<TopicPartition, Long> before = committedOffsets(group);
    assertEquals(0, positioned.exitCode(), positioned::toString);
    assertEquals(Set.of(2L), Set.copyOf(before.values()), before::toString);
    Path beyondTheEnd =
        Files.writeString(
            dir.resolve("beyond.json"),
            "[{\"topic\":\""
                + topic
                + "\",\"partition\":0,\"offset\":1},"
                + "{\"topic\":\""
                + topic
                + "\",\"partition\":1,\"offset\":99}]");
    Path noSuchPartition =
        Files.writeString(
            dir.resolve("no-partition.json"),
            "[{\"topic\":\""
                + topic
                + "\",\"partition\":0,\"offset\":1},"
                + "{\"topic\":\""
                + topic
                + "\",\"partition\":7,\"offset\":0}]");

    Cli.Result beyond = resetOffsets(group, "--from-file", beyondTheEnd.toString(), "--execute");
    Cli.Result partition =
        resetOffsets(group, "--from-file", noSuchPartition.toString(), "--execute");

    assertEquals(2, beyond.exitCode(), beyond::toString);
    assertEquals(1, beyond.errLines().size(), beyond::toString);
    assertTrue(beyond.err().contains("99"), beyond::toString);
    assertEquals(2, partition.exitCode(), partition::toString);
    assertEquals(1, partition.errLines().size(), partition::toString);
    assertTrue(partition.err().contains(topic + "-7"), partition::toString);
    assertEquals(
        before, committedOffsets(group), "neither file applied anything, not even partition 0");
  }

  /**
   * Makes {@code group} exist, as the groups commands move only known groups: a member reads one
   * event of partition 0 and commits offset 1 there.
   */
  private static String joined(String topic, String group) {
    Cli.Result read =
        Cli.consumer(
            BOOTSTRAP, topic, group, "--partition", "0", "--from-beginning", "--max-messages", "1");
    assertEquals(0, read.exitCode(), read::toString);
    return group;
  }

  /** {@code groups reset-offsets GROUP} with these options, on the test broker. */
  private static Cli.Result resetOffsets(String group, String... options) {
    List<String> args = new ArrayList<>(List.of("groups", "reset-offsets", group));
    args.addAll(List.of(options));
    args.addAll(List.of("-b", BOOTSTRAP));
    return Cli.run(args.toArray(String[]::new));
  }

  /** Runs a consumer in a group of its own, as JSON lines, ending after 2 s with nothing new. */
  private static Cli.Result read(String topic, String... options) {
    List<String> args = new ArrayList<>(List.of("--format", "json", "--idle-timeout", "2s"));
    args.addAll(List.of(options));
    return Cli.consumer(BOOTSTRAP, topic, Names.unique("reader"), args.toArray(String[]::new));
  }

  /**
   * A day ago, on the minute: recent enough that the broker's retention (7 days) leaves the records
   * alone however long the suite runs.
   */
  private static final Instant T0 =
      Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MINUTES).minus(Duration.ofDays(1));

  /** T0 plus these seconds, as the commands take a time. */
  private static String at(long seconds) {
    return T0.plusSeconds(seconds).toString();
  }

  /** Events whose record timestamps are T0 + offset minutes, in each of the partitions. */
  private static void sendOneAMinute(String topic, int partitions, int perPartition) {
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      for (int i = 0; i < perPartition; i++) {
        records.add(timed(topic, p, T0.plusSeconds(60L * i), "user-" + p));
      }
    }
    RawRecords.send(BOOTSTRAP, records);
  }

  private static ProducerRecord<byte[], byte[]> timed(
      String topic, int partition, Instant at, String user) {
    long seconds = at.getEpochSecond() - KnownEvents.T0.getEpochSecond();
    return new ProducerRecord<>(
        topic,
        partition,
        at.toEpochMilli(),
        bytes(user),
        bytes(KnownEvents.event(user, EventType.PAGE_VIEW, seconds)));
  }

  /** "partition@offset" for partition p, offsets from (inclusive) to (exclusive), repeated. */
  private static Set<String> offsets(int... partitionFromTo) {
    Set<String> all = new TreeSet<>();
    for (int i = 0; i < partitionFromTo.length; i += 3) {
      for (int o = partitionFromTo[i + 1]; o < partitionFromTo[i + 2]; o++) {
        all.add(partitionFromTo[i] + "@" + o);
      }
    }
    return all;
  }

  /** What the consumer showed, as "partition@offset". */
  private static Set<String> shown(Cli.Result result) {
    return json(result).stream()
        .map(n -> n.get("partition").asInt() + "@" + n.get("offset").asLong())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static List<JsonNode> json(Cli.Result result) {
    return result.outLines().stream()
        .map(
            line -> {
              try {
                return EventJson.mapper().readTree(line);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            })
        .toList();
  }

  private static Map<TopicPartition, Long> committedOffsets(String group) {
    Map<TopicPartition, Long> offsets =
        new TreeMap<>(java.util.Comparator.comparing(TopicPartition::toString));
    Map<TopicPartition, OffsetAndMetadata> committed = RawRecords.committed(BOOTSTRAP, group);
    committed.forEach((tp, o) -> offsets.put(tp, o.offset()));
    return offsets;
  }

  private static Map<String, ConfigEntry> configs(String topic) throws Exception {
    try (Admin admin = admin()) {
      ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
      return admin.describeConfigs(List.of(resource)).all().get().get(resource).entries().stream()
          .collect(Collectors.toMap(ConfigEntry::name, e -> e));
    }
  }

  private static int partitions(String topic) throws ExecutionException, InterruptedException {
    try (Admin admin = admin()) {
      return admin
          .describeTopics(List.of(topic))
          .allTopicNames()
          .get()
          .get(topic)
          .partitions()
          .size();
    }
  }

  private static Admin admin() {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] bytes) {
    return bytes == null ? "null" : new String(bytes, StandardCharsets.UTF_8);
  }
}
