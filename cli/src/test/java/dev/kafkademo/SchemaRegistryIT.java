package dev.kafkademo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kafkademo.events.EventJson;
import dev.kafkademo.events.UserEvent;
import dev.kafkademo.kafka.consume.DeadLetterQueue;
import dev.kafkademo.registry.RegistryClient;
import dev.kafkademo.registry.WireFormat;
import dev.kafkademo.support.Cli;
import dev.kafkademo.support.JarProcess;
import dev.kafkademo.support.Names;
import dev.kafkademo.support.RawRecords;
import dev.kafkademo.support.TestBroker;
import dev.kafkademo.support.TestRegistry;
import dev.kafkademo.support.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Avro events through the embedded broker and a real schema registry (Apicurio), as users run them.
 */
class SchemaRegistryIT {
  private static final String V1 = "schemas/user-event-v1.avsc";
  private static final String V2 = "schemas/user-event-v2.avsc";
  private static final String V3 = "schemas/user-event-v3.avsc";

  private static String registry;
  private final String bootstrap = TestBroker.bootstrapServers();

  @TempDir Path dir;

  @BeforeAll
  static void startRegistry() {
    registry = TestRegistry.url();
  }

  private Cli.Result produce(String topic, String... options) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "producer",
                "-b",
                bootstrap,
                "-t",
                topic,
                "--value-format",
                "avro",
                "--schema-registry",
                registry,
                "-q"));
    args.addAll(List.of(options));
    return Cli.run(args.toArray(String[]::new));
  }

  private Cli.Result consume(String topic, String... options) {
    List<String> args =
        new ArrayList<>(
            List.of("--from-beginning", "--idle-timeout", "3s", "--schema-registry", registry));
    if (!List.of(options).contains("--format")) {
      args.addAll(List.of("--format", "value"));
    }
    args.addAll(List.of(options));
    return Cli.consumer(bootstrap, topic, Names.unique("group"), args.toArray(String[]::new));
  }

  private static List<UserEvent> events(List<String> jsonLines) throws Exception {
    List<UserEvent> events = new ArrayList<>();
    for (String line : jsonLines) {
      events.add(EventJson.parse(line.getBytes(StandardCharsets.UTF_8)));
    }
    return events;
  }

  /** By event id: partitions interleave differently in two topics. */
  private static Map<String, UserEvent> byId(List<UserEvent> events) {
    Map<String, UserEvent> byId = new TreeMap<>();
    events.forEach(event -> byId.put(event.eventId().toString(), event));
    return byId;
  }

  @Test
  void avroEventsComeBackAsTheSameEventsAndTheBytesCarryTheRegistrysId() throws Exception {
    String jsonTopic = Topics.create(bootstrap, 3);
    String avroTopic = Topics.create(bootstrap, 3);
    Cli.Result json =
        Cli.run(
            "producer",
            "-b",
            bootstrap,
            "-t",
            jsonTopic,
            "-q",
            "--count",
            "300",
            "--time-span",
            "1h");
    assertEquals(0, json.exitCode(), json::toString);
    List<String> sent = consume(jsonTopic).outLines();
    Path input = Files.write(dir.resolve("events.jsonl"), sent);
    Cli.Result produced = produce(avroTopic, "--input", input.toString(), "--schema", V1);
    assertEquals(0, produced.exitCode(), produced::toString);
    assertTrue(produced.err().contains("300 acknowledged, 0 failed"), produced::toString);

    Cli.Result fromAvro = consume(avroTopic, "--reader-schema", V1);

    assertEquals(0, fromAvro.exitCode(), fromAvro::toString);
    assertEquals(300, fromAvro.outLines().size(), fromAvro::toString);
    assertEquals(byId(events(sent)), byId(events(fromAvro.outLines())));

    int id =
        new RegistryClient(registry, null, Duration.ofSeconds(10))
            .lookup(avroTopic + "-value", Files.readString(Path.of(V1)))
            .orElseThrow()
            .id();
    for (ConsumerRecord<byte[], byte[]> record : RawRecords.readAll(bootstrap, avroTopic)) {
      assertEquals(0, record.value()[0], "magic byte");
      assertEquals(id, WireFormat.schemaId(record.value()), "the id the registry gave");
    }
    long avroBytes =
        RawRecords.readAll(bootstrap, avroTopic).stream().mapToLong(r -> r.value().length).sum();
    long jsonBytes =
        RawRecords.readAll(bootstrap, jsonTopic).stream().mapToLong(r -> r.value().length).sum();
    assertTrue(avroBytes < jsonBytes * 0.6, "Avro " + avroBytes + " bytes, JSON " + jsonBytes);
  }

  @Test
  void aTopicHoldingJsonAndAvroIsReadWhole() {
    String topic = Topics.create(bootstrap, 1);
    assertEquals(0, produce(topic, "--count", "5").exitCode());
    assertEquals(
        0, Cli.run("producer", "-b", bootstrap, "-t", topic, "--count", "4", "-q").exitCode());
    assertEquals(0, produce(topic, "--count", "3").exitCode());

    Cli.Result read = consume(topic, "--format", "pretty");

    assertEquals(0, read.exitCode(), read::toString);
    assertEquals(
        12, read.outLines().stream().filter(l -> l.startsWith(topic)).count(), read::toString);
    assertTrue(read.err().contains("Processed 12 events"), read::toString);
    assertTrue(read.err().contains("skipped 0 invalid records"), read::toString);
  }

  @Test
  void v2IsAcceptedAndV3RefusedWithTheRegistrysReason() {
    String subject = Names.unique("evolution") + "-value";
    String[] at = {"--schema-registry", registry};

    Cli.Result v1 =
        Cli.run(concat(new String[] {"schemas", "register", subject, "--file", V1}, at));
    Cli.Result v2 = Cli.run(concat(new String[] {"schemas", "check", subject, "--file", V2}, at));
    Cli.Result v2registered =
        Cli.run(concat(new String[] {"schemas", "register", subject, "--file", V2}, at));
    Cli.Result v3checked =
        Cli.run(concat(new String[] {"schemas", "check", subject, "--file", V3}, at));
    Cli.Result v3registered =
        Cli.run(concat(new String[] {"schemas", "register", subject, "--file", V3}, at));
    Cli.Result versions =
        Cli.run(concat(new String[] {"schemas", "versions", subject, "-o", "json"}, at));
    Cli.Result unknown = Cli.run(concat(new String[] {"schemas", "show", "no-such-subject"}, at));

    assertEquals(0, v1.exitCode(), v1::toString);
    assertTrue(v1.out().contains("version 1"), v1::toString);
    assertEquals(0, v2.exitCode(), v2::toString);
    assertEquals(0, v2registered.exitCode(), v2registered::toString);
    assertEquals(1, v3checked.exitCode(), v3checked::toString);
    assertTrue(
        v3checked.out().contains("Incompatible") && v3checked.out().contains("tenantId"),
        v3checked::toString);
    assertEquals(1, v3registered.exitCode(), v3registered::toString);
    assertEquals(1, v3registered.errLines().size(), "one line: " + v3registered);
    assertTrue(v3registered.err().contains("tenantId"), v3registered::toString);
    assertEquals(0, versions.exitCode(), versions::toString);
    assertTrue(
        versions.out().contains("\"version\" : 2") && !versions.out().contains("\"version\" : 3"),
        versions::toString);
    assertEquals(4, unknown.exitCode(), unknown::toString);
  }

  @Test
  void readersResolveOldAndNewEventsToTheirOwnSchema() throws Exception {
    String topic = Topics.create(bootstrap, 1);
    assertEquals(0, produce(topic, "--count", "2", "--schema", V1).exitCode());
    Path fromApp =
        Files.writeString(
            dir.resolve("app.jsonl"),
            "{\"eventId\":\"0b6f1c7e-3f3a-4c1e-9a53-2f1d1e0c9a11\",\"userId\":\"user-1\","
                + "\"eventType\":\"page_view\",\"timestamp\":\"2026-11-30T10:00:00Z\","
                + "\"properties\":{\"page\":\"/cart\",\"channel\":\"app\"}}\n");
    Cli.Result v2 = produce(topic, "--input", fromApp.toString());
    assertEquals(0, v2.exitCode(), v2::toString);

    List<UserEvent> newReader = events(consume(topic).outLines());
    List<UserEvent> oldReader = events(consume(topic, "--reader-schema", V1).outLines());

    assertEquals(3, newReader.size());
    assertEquals("web", newReader.get(0).properties().get("channel"), "the default, filled in");
    assertEquals("app", newReader.get(2).properties().get("channel"));
    assertEquals(3, oldReader.size());
    oldReader.forEach(
        event -> assertFalse(event.properties().containsKey("channel"), event::toString));
    assertEquals("/cart", oldReader.get(2).properties().get("page"));
  }

  @Test
  void anUnknownSchemaIdIsSkippedOrDeadLetteredWithItsReason() {
    String topic = Topics.create(bootstrap, 1);
    assertEquals(0, produce(topic, "--count", "1").exitCode());
    byte[] unknownId = {0, 0x7f, 0, 0, 1, 2, 3};
    RawRecords.send(
        bootstrap,
        List.of(new ProducerRecord<>(topic, "user-1".getBytes(StandardCharsets.UTF_8), unknownId)));
    assertEquals(0, produce(topic, "--count", "1").exitCode());

    Cli.Result skipped = consume(topic);
    Cli.Result deadLettered = consume(topic, "--on-error", "dlq");

    assertEquals(0, skipped.exitCode(), skipped::toString);
    assertEquals(2, skipped.outLines().size(), skipped::toString);
    assertTrue(
        skipped.err().contains("schema id 2130706433, which is not in the schema registry"),
        skipped::toString);
    assertTrue(skipped.err().contains("skipped 1 invalid records"), skipped::toString);
    assertEquals(0, deadLettered.exitCode(), deadLettered::toString);
    List<ConsumerRecord<byte[], byte[]>> dead = RawRecords.readAll(bootstrap, topic + ".dlq");
    assertEquals(1, dead.size());
    assertTrue(
        new String(
                dead.get(0).headers().lastHeader(DeadLetterQueue.ERROR_HEADER).value(),
                StandardCharsets.UTF_8)
            .contains("schema id 2130706433"));
  }

  @Test
  void withoutAutoRegisterAnUnregisteredSchemaIsOneClearLine() {
    String topic = Topics.create(bootstrap, 1);

    Cli.Result refused = produce(topic, "--count", "1", "--no-auto-register");

    assertEquals(4, refused.exitCode(), refused::toString);
    assertEquals(
        1,
        refused.errLines().stream().filter(l -> l.startsWith("error:")).count(),
        refused::toString);
    assertTrue(
        refused.err().contains("is not registered under subject " + topic + "-value"),
        refused::toString);
    assertEquals(0, RawRecords.totalRecords(bootstrap, topic), "nothing sent");
  }

  /**
   * The producer asks the registry once, before the first event: stopped mid-run, it does not stop
   * the producer, and every event acknowledged is in the topic.
   */
  @Test
  void theRegistryStoppedMidRunLosesNothing() throws Exception {
    String topic = Topics.create(bootstrap, 3);
    JarProcess producer;
    try (TestRegistry own = TestRegistry.start()) {
      producer =
          JarProcess.start(
              "producer",
              "-b",
              bootstrap,
              "-t",
              topic,
              "--value-format",
              "avro",
              "--schema-registry",
              own.registryUrl(),
              "--count",
              "400",
              "--rate",
              "100",
              "-q");
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> RawRecords.totalRecords(bootstrap, topic) > 50);
    } // stopped here, with most events still to send
    assertEquals(0, producer.waitFor(60), producer::toString);
    assertTrue(producer.err().contains("400 acknowledged, 0 failed"), producer::toString);
    assertEquals(400, RawRecords.totalRecords(bootstrap, topic));
  }

  /**
   * The registry away is not a bad record: the consumer stops with one line and commits nothing it
   * did not process; once the registry is back (its schemas stored, so the same ids) a rerun of the
   * group reads every event, and a new schema gets an id of its own, not one the records carry.
   */
  @Test
  void aRegistryThatIsAwayIsNotABadRecordAndARestartKeepsEveryId() throws Exception {
    String topic = Topics.create(bootstrap, 3);
    String group = Names.unique("away");
    TestRegistry own = TestRegistry.start();
    String id;
    try {
      Cli.Result produced =
          Cli.run(
              "producer",
              "-b",
              bootstrap,
              "-t",
              topic,
              "--value-format",
              "avro",
              "--schema-registry",
              own.registryUrl(),
              "-n",
              "200",
              "-q");
      assertEquals(0, produced.exitCode(), produced::toString);
      java.util.regex.Matcher registered =
          java.util.regex.Pattern.compile("\\(id (\\d+) under subject").matcher(produced.err());
      assertTrue(registered.find(), produced::toString);
      id = registered.group(1);
    } finally {
      own.close();
    }

    Cli.Result away =
        Cli.consumer(
            bootstrap,
            topic,
            group,
            "--from-beginning",
            "--idle-timeout",
            "3s",
            "--schema-registry",
            own.registryUrl(),
            "--timeout",
            "2s",
            "--format",
            "value");

    assertEquals(1, away.exitCode(), away::toString);
    assertEquals(
        1, away.errLines().stream().filter(l -> l.startsWith("error: ")).count(), away::toString);
    assertTrue(
        away.err()
            .contains(
                "error: Cannot fetch the writer schema (id "
                    + id
                    + ") of an Avro record: schema registry "
                    + own.registryUrl()
                    + " is not reachable"),
        away::toString);
    assertEquals(List.of(), away.outLines(), "nothing shown");
    assertTrue(
        RawRecords.committed(bootstrap, group).values().stream()
            .allMatch(offset -> offset == null || offset.offset() == 0),
        "nothing committed past what was processed: " + RawRecords.committed(bootstrap, group));

    try (TestRegistry back = own.restart()) {
      Cli.Result rerun =
          Cli.consumer(
              bootstrap,
              topic,
              group,
              "--from-beginning",
              "--idle-timeout",
              "3s",
              "--schema-registry",
              back.registryUrl(),
              "--format",
              "value");
      assertEquals(0, rerun.exitCode(), rerun::toString);
      assertEquals(200, rerun.outLines().size(), "every event, read with its schema: " + rerun);
      assertTrue(rerun.err().contains("skipped 0 invalid records"), rerun::toString);

      Path other =
          Files.writeString(
              dir.resolve("other.avsc"),
              "{\"type\":\"record\",\"name\":\"Other\",\"fields\":[{\"name\":\"x\",\"type\":\"int\"}]}");
      Cli.Result newSubject =
          Cli.run(
              "schemas",
              "register",
              Names.unique("other"),
              "--file",
              other.toString(),
              "--schema-registry",
              back.registryUrl(),
              "-o",
              "json");
      assertEquals(0, newSubject.exitCode(), newSubject::toString);
      String newId = EventJson.mapper().readTree(newSubject.out()).get("id").asText();
      assertFalse(newId.equals(id), "a new subject, a new id: " + newId + " after " + id);
    }
  }

  /**
   * Apicurio's Confluent API is under /apis/ccompat/v7: the address people type first says where to
   * look, and nothing is created before the registry has answered.
   */
  @Test
  void theRegistrysRootAddressSaysWhichPathToTryAndCreatesNoTopic() throws IOException {
    String root = registry.replaceFirst("/apis/ccompat/v7$", "");
    String[] noTopicYet = {Names.unique("never"), Names.unique("never"), Names.unique("never")};
    Cli.Result atRoot =
        Cli.run(
            "producer",
            "-b",
            bootstrap,
            "-t",
            noTopicYet[0],
            "--value-format",
            "avro",
            "--schema-registry",
            root,
            "-n",
            "1");
    assertEquals(1, atRoot.exitCode(), atRoot::toString);
    assertTrue(
        atRoot.err().contains("no schema registry API at " + root)
            && atRoot.err().contains("try " + root + "/apis/ccompat/v7"),
        atRoot::toString);

    Cli.Result notRegistered =
        Cli.run(
            "producer",
            "-b",
            bootstrap,
            "-t",
            noTopicYet[1],
            "--value-format",
            "avro",
            "--schema-registry",
            registry,
            "--no-auto-register",
            "-n",
            "1");
    assertEquals(4, notRegistered.exitCode(), notRegistered::toString);

    Path withoutSearch =
        Files.writeString(
            dir.resolve("no-search.avsc"),
            Files.readString(Path.of("schemas", "user-event-v1.avsc"))
                .replace("\"search\"", "\"lookup\""));
    Cli.Result doesNotFit =
        Cli.run(
            "producer",
            "-b",
            bootstrap,
            "-t",
            noTopicYet[2],
            "--value-format",
            "avro",
            "--schema-registry",
            registry,
            "--schema",
            withoutSearch.toString(),
            "-n",
            "50");
    assertEquals(2, doesNotFit.exitCode(), doesNotFit::toString);
    for (String topic : noTopicYet) {
      Cli.Result describe = Cli.run("topics", "describe", topic, "-b", bootstrap);
      assertEquals(4, describe.exitCode(), "no topic " + topic + " was created: " + doesNotFit);
    }
  }

  @Test
  void credentialsAreNeverPrinted() throws IOException {
    Path config =
        Files.writeString(
            dir.resolve("client.properties"), "basic.auth.user.info=alice:s3cret-pw\n");

    Cli.Result unreachable =
        Cli.run(
            "producer",
            "-b",
            bootstrap,
            "-t",
            Topics.create(bootstrap, 1),
            "--value-format",
            "avro",
            "--schema-registry",
            "http://bob:hunter2@127.0.0.1:1",
            "--timeout",
            "2s",
            "--command-config",
            config.toString(),
            "--count",
            "1");

    assertEquals(1, unreachable.exitCode(), unreachable::toString);
    assertTrue(
        unreachable.err().contains("http://127.0.0.1:1 is not reachable"), unreachable::toString);
    assertFalse(unreachable.err().contains("hunter2") || unreachable.out().contains("hunter2"));
    assertFalse(unreachable.err().contains("s3cret") || unreachable.out().contains("s3cret"));
  }

  private static String[] concat(String[] first, String... more) {
    String[] all = new String[first.length + more.length];
    System.arraycopy(first, 0, all, 0, first.length);
    System.arraycopy(more, 0, all, first.length, more.length);
    return all;
  }
}
