package dev.kafkademo;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kafkademo.broker.EmbeddedBroker;
import dev.kafkademo.events.EventJson;
import dev.kafkademo.support.Cli;
import dev.kafkademo.support.Names;
import dev.kafkademo.support.Ports;
import dev.kafkademo.support.TestBroker;
import dev.kafkademo.support.Topics;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/** topics, groups and doctor against real brokers, as a user reads their output. */
class AdminCommandsIT {
  private final String bootstrap = TestBroker.bootstrapServers();

  @Test
  void topicsCreateDescribeListDeleteRoundTrip() throws IOException {
    String topic = Names.unique("admin");

    Cli.Result created =
        Cli.run(
            "topics",
            "create",
            topic,
            "--partitions",
            "2",
            "--config",
            "retention.ms=3600000",
            "-b",
            bootstrap);
    Cli.Result again = Cli.run("topics", "create", topic, "-b", bootstrap);
    Cli.Result table = Cli.run("topics", "describe", topic, "-b", bootstrap);
    Cli.Result json = Cli.run("topics", "describe", topic, "-b", bootstrap, "--output", "json");
    Cli.Result list = Cli.run("topics", "list", "-b", bootstrap);
    Cli.Result unconfirmed = Cli.run("topics", "delete", topic, "-b", bootstrap);
    Cli.Result deleted = Cli.run("topics", "delete", topic, "--yes", "-b", bootstrap);
    Cli.Result gone = Cli.run("topics", "describe", topic, "-b", bootstrap);
    Cli.Result deletedAgain = Cli.run("topics", "delete", topic, "--yes", "-b", bootstrap);

    assertEquals(0, created.exitCode(), created::toString);
    assertEquals(3, again.exitCode(), again::toString);
    assertEquals(
        "error: Topic "
            + topic
            + " already exists: see it with kafka-demo topics describe "
            + topic,
        again.err().strip());
    assertEquals(0, table.exitCode(), table::toString);
    assertTrue(table.out().contains("Topic " + topic + " (id "), table::toString);
    assertTrue(
        table.out().contains("PARTITION  LEADER  REPLICAS  ISR  EARLIEST  LATEST"),
        table::toString);
    assertTrue(
        table
            .out()
            .contains("Settings that differ from the broker's defaults:\n  retention.ms=3600000\n"),
        table::toString);
    JsonNode described = EventJson.mapper().readTree(json.out());
    assertEquals(2, described.get("partitions").size());
    assertEquals(1, described.at("/partitions/0/leader").asInt());
    assertEquals("3600000", described.at("/configs/retention.ms").asText());
    assertTrue(
        list.outLines().stream().anyMatch(l -> l.matches(topic + "\\s+2\\s+1")), list::toString);
    assertEquals(2, unconfirmed.exitCode(), unconfirmed::toString);
    assertTrue(unconfirmed.err().contains("add --yes to confirm"), unconfirmed::toString);
    assertEquals(0, deleted.exitCode(), deleted::toString);
    assertEquals(4, gone.exitCode(), gone::toString);
    assertEquals(
        "error: Topic " + topic + " does not exist: see kafka-demo topics list",
        gone.err().strip());
    assertEquals(4, deletedAgain.exitCode(), deletedAgain::toString);
  }

  @Test
  void groupDescribeShowsTheLagAUserCreatedAndResetOffsetsMovesIt() throws IOException {
    String topic = Topics.create(bootstrap, 3);
    String group = Names.unique("group");
    assertEquals(
        0,
        Cli.run("producer", "-b", bootstrap, "--topic", topic, "--count", "100", "--quiet")
            .exitCode());
    Cli.Result consumed =
        Cli.consumer(
            bootstrap,
            topic,
            group,
            "--from-beginning",
            "--max-messages",
            "40",
            "--format",
            "none");
    assertEquals(0, consumed.exitCode(), consumed::toString);

    Cli.Result described = Cli.run("groups", "describe", group, "-b", bootstrap);
    JsonNode json =
        EventJson.mapper()
            .readTree(Cli.run("groups", "describe", group, "-b", bootstrap, "-o", "json").out());
    Cli.Result listed = Cli.run("groups", "list", "-b", bootstrap);

    assertTrue(
        described.out().startsWith("Group " + group + ": Empty, 0 member(s), total lag 60"),
        described::toString);
    assertTrue(described.out().contains("TOPIC"), described::toString);
    assertEquals(60, json.get("totalLag").asLong());
    assertEquals(3, json.get("partitions").size(), "every partition, also one never committed");
    assertTrue(listed.out().contains(group), listed::toString);

    Cli.Result dryRun = resetOffsets(group, topic, "--to-earliest", "-b", bootstrap);
    assertEquals(0, dryRun.exitCode(), dryRun::toString);
    assertTrue(dryRun.err().contains("Dry run: nothing changed"), dryRun::toString);
    assertEquals(60, lag(group));

    Cli.Result executed = resetOffsets(group, topic, "--to-earliest", "--execute", "-b", bootstrap);
    assertEquals(0, executed.exitCode(), executed::toString);
    assertEquals(100, lag(group));

    Cli.Result shifted = resetOffsets(group, topic, "--to-latest", "--execute", "-b", bootstrap);
    assertEquals(0, shifted.exitCode(), shifted::toString);
    assertEquals(0, lag(group));
  }

  @Test
  void resetIsRefusedWhileTheGroupHasMembersAndUnknownGroupsAreNotFound() {
    String topic = Topics.create(bootstrap, 1);
    String group = Names.unique("group");
    Cli.Result refused;
    // A member that stays until the reset has been tried, then leaves: no race with a timeout.
    try (KafkaConsumer<byte[], byte[]> member = member(group)) {
      member.subscribe(List.of(topic));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> !member.poll(Duration.ofMillis(100)).isEmpty() || members(group) == 1);
      refused = resetOffsets(group, topic, "--to-earliest", "--execute", "-b", bootstrap);
    }
    Cli.Result unknown = Cli.run("groups", "describe", Names.unique("nobody"), "-b", bootstrap);
    Cli.Result noTarget = resetOffsets(group, topic, "-b", bootstrap);

    assertEquals(1, refused.exitCode(), refused::toString);
    assertTrue(
        refused.err().contains("has 1 active member(s): stop its consumers first"),
        refused::toString);
    assertEquals(4, unknown.exitCode(), unknown::toString);
    assertEquals(2, noTarget.exitCode(), noTarget::toString);
  }

  @Test
  void doctorOnAFreshBrokerWarnsAboutTheTopicTheProducerWillCreate() {
    String topic = Names.unique("not-yet");

    Cli.Result doctor = Cli.run("doctor", "-b", bootstrap, "--topic", topic);

    assertEquals(0, doctor.exitCode(), "a warning, not a failure: " + doctor);
    assertTrue(
        doctor.outLines().stream()
            .anyMatch(l -> l.matches("WARN\\s+topic\\s+" + topic + " does not exist yet.*")),
        doctor::toString);
    assertTrue(doctor.out().contains("the first producer creates it"), doctor::toString);
  }

  @Test
  void doctorPassesOnAHealthyBrokerWithAWriteTest() throws IOException {
    String topic = Topics.create(bootstrap, 3);
    String group = Names.unique("group");
    assertEquals(
        0,
        Cli.run("producer", "-b", bootstrap, "--topic", topic, "--count", "5", "--quiet")
            .exitCode());
    assertEquals(
        0,
        Cli.consumer(
                bootstrap,
                topic,
                group,
                "--from-beginning",
                "--max-messages",
                "5",
                "--format",
                "none")
            .exitCode());

    Cli.Result doctor =
        Cli.run("doctor", "-b", bootstrap, "--topic", topic, "--group", group, "--write-test");
    JsonNode json =
        EventJson.mapper()
            .readTree(
                Cli.run("doctor", "-b", bootstrap, "--topic", topic, "--group", group, "-o", "json")
                    .out());

    assertEquals(0, doctor.exitCode(), doctor::toString);
    for (String check :
        List.of(
            "bootstrap",
            "advertised listeners",
            "topic",
            "offsets topic",
            "replication",
            "group",
            "write test")) {
      assertTrue(
          doctor.outLines().stream().anyMatch(l -> l.matches("OK\\s+" + check + "\\s+.*")),
          check + ": " + doctor);
    }
    assertTrue(doctor.out().contains(topic + " exists with 3 partition(s)"), doctor::toString);
    assertTrue(doctor.out().contains("total lag 0"), doctor::toString);
    json.forEach(check -> assertEquals("OK", check.get("status").asText(), check.toString()));
  }

  @Test
  void doctorFailsOnAnUnreachableAddressAndSkipsTheRest() {
    String address = "127.0.0.1:" + Ports.free();

    Cli.Result doctor = Cli.run("doctor", "-b", address, "--timeout", "2s");

    assertEquals(1, doctor.exitCode(), doctor::toString);
    assertTrue(
        doctor
            .outLines()
            .get(0)
            .matches("FAIL\\s+bootstrap\\s+no broker answered at " + address + " within 2s.*"),
        doctor::toString);
    assertTrue(doctor.out().contains("fix: start the broker"), doctor::toString);
    assertTrue(
        doctor.outLines().stream().anyMatch(l -> l.matches("SKIPPED\\s+topic.*")),
        doctor::toString);
  }

  @Test
  void doctorNamesABrokerThatAdvertisesAnAddressClientsCannotReach() throws IOException {
    String unreachable = "localhost:" + Ports.free();
    try (EmbeddedBroker misconfigured =
        EmbeddedBroker.start(
            EmbeddedBroker.Settings.ephemeral().withAdvertisedAddress(unreachable))) {
      Cli.Result doctor =
          Cli.run("doctor", "-b", "127.0.0.1:" + misconfigured.port(), "--timeout", "3s");

      assertEquals(1, doctor.exitCode(), doctor::toString);
      assertTrue(
          doctor.out().contains("OK      bootstrap"), "the first connection works: " + doctor);
      assertTrue(
          doctor.outLines().stream()
              .anyMatch(
                  l ->
                      l.matches(
                          "FAIL\\s+advertised listeners\\s+broker 1 advertises "
                              + unreachable
                              + ", which cannot be reached from here.*")),
          doctor::toString);
      assertTrue(doctor.out().contains("KAFKA_ADVERTISED_LISTENERS"), doctor::toString);
    }
  }

  private static Cli.Result resetOffsets(String group, String topic, String... options) {
    List<String> args =
        new java.util.ArrayList<>(List.of("groups", "reset-offsets", group, "--topic", topic));
    args.addAll(List.of(options));
    return Cli.run(args.toArray(String[]::new));
  }

  private long lag(String group) throws IOException {
    return EventJson.mapper()
        .readTree(Cli.run("groups", "describe", group, "-b", bootstrap, "-o", "json").out())
        .get("totalLag")
        .asLong();
  }

  private KafkaConsumer<byte[], byte[]> member(String group) {
    return new KafkaConsumer<>(
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ConsumerConfig.GROUP_ID_CONFIG,
            group),
        new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
  }

  private int members(String group) throws Exception {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      return admin.describeConsumerGroups(List.of(group)).all().get().get(group).members().size();
    }
  }
}
