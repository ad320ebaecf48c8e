package dev.kafkademo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kafkademo.broker.EmbeddedBroker;
import dev.kafkademo.support.Cli;
import dev.kafkademo.support.JarProcess;
import dev.kafkademo.support.Names;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code acls} against a broker over SASL_SSL with two users: a consumer the ACLs deny is one line
 * and commits nothing, and reads once {@code acls add} allows it.
 */
class AclsIT {
  private static final String ALICE_PASSWORD = "alice-Pa55";
  private static final String BOB_PASSWORD = "bob-Pa55";
  private static EmbeddedBroker broker;

  @TempDir static Path dir;
  private static Path alice;
  private static Path bob;

  @BeforeAll
  static void startBroker() throws IOException {
    broker =
        EmbeddedBroker.start(
            EmbeddedBroker.Settings.ephemeral()
                .withSaslUsers(Map.of("alice", ALICE_PASSWORD, "bob", BOB_PASSWORD))
                .withTls(new EmbeddedBroker.Tls(dir.resolve("tls"), false)));
    alice = userConfig("alice", ALICE_PASSWORD);
    bob = userConfig("bob", BOB_PASSWORD);
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  @Test
  void aConsumerTheAclsDenyIsOneLineCommitsNothingAndReadsOnceAllowed() throws Exception {
    String topic = Names.unique("orders");
    String group = Names.unique("billing");
    Cli.Result produced = as(alice, "producer", "--topic", topic, "--count", "3");
    assertEquals(0, produced.exitCode(), produced::toString);
    // A rule on the topic for bob: from now on the topic is closed to everyone else.
    Cli.Result forBob =
        as(
            alice,
            "acls",
            "add",
            "--allow",
            "bob",
            "--operation",
            "read,describe",
            "--topic",
            topic);
    assertEquals(0, forBob.exitCode(), forBob::toString);
    assertTrue(forBob.out().startsWith("Added 2 rules:"), forBob::toString);

    Cli.Result denied = consume(alice, topic, group);

    assertEquals(1, denied.exitCode(), denied::toString);
    assertEquals(1, denied.errLines().size(), "one line: " + denied);
    assertTrue(denied.err().contains("Not authorized to read topic " + topic), denied::toString);
    assertFalse(denied.err().contains("\tat "), denied::toString);
    assertEquals("", denied.out(), denied::toString);
    assertEquals(Map.of(), committed(group), "nothing committed");

    Cli.Result allow =
        as(
            alice,
            "acls",
            "add",
            "--allow",
            "User:alice",
            "--operation",
            "read",
            "--operation",
            "DESCRIBE",
            "--topic",
            topic);
    assertEquals(0, allow.exitCode(), allow::toString);
    Cli.Result read = consume(alice, topic, group);

    assertEquals(0, read.exitCode(), read::toString);
    assertEquals(3, read.outLines().size(), read::toString);
    assertEquals(3L, committed(group).values().stream().mapToLong(Long::longValue).sum());
  }

  @Test
  void listAsJsonShowsWhatWasAddedAndRemoveTakesItAway() throws Exception {
    String topic = Names.unique("payments");
    as(alice, "topics", "create", topic);
    Cli.Result added =
        as(alice, "acls", "add", "--deny", "User:bob", "--operation", "write", "--topic", topic);
    assertEquals(0, added.exitCode(), added::toString);
    as(
        alice,
        "acls",
        "add",
        "--allow",
        "bob",
        "--operation",
        "read",
        "--topic",
        "pay",
        "--prefixed");

    Cli.Result listed = as(alice, "acls", "list", "--topic", topic, "-o", "json");

    assertEquals(0, listed.exitCode(), listed::toString);
    JsonNode rules = new ObjectMapper().readTree(listed.out());
    assertEquals(1, rules.size(), listed::toString);
    JsonNode rule = rules.get(0);
    assertEquals("User:bob", rule.get("principal").asText());
    assertEquals("deny", rule.get("permission").asText());
    assertEquals("write", rule.get("operation").asText());
    assertEquals("topic", rule.get("resourceType").asText());
    assertEquals(topic, rule.get("resourceName").asText());
    assertEquals("literal", rule.get("patternType").asText());
    assertEquals("*", rule.get("host").asText());

    Cli.Result prefixed = as(alice, "acls", "list", "--principal", "bob", "-o", "json");
    List<String> names = new ArrayList<>();
    new ObjectMapper()
        .readTree(prefixed.out())
        .forEach(
            r -> names.add(r.get("resourceName").asText() + "/" + r.get("patternType").asText()));
    assertTrue(names.contains("pay/prefixed"), names::toString);

    Cli.Result removed = as(alice, "acls", "remove", "--topic", topic);
    assertEquals(0, removed.exitCode(), removed::toString);
    assertTrue(removed.out().startsWith("Removed 1 rule:"), removed::toString);
    Cli.Result after = as(alice, "acls", "list", "--topic", topic, "-o", "json");
    assertEquals(0, new ObjectMapper().readTree(after.out()).size(), after::toString);
    as(alice, "acls", "remove", "--topic", "pay", "--prefixed");
  }

  @Test
  void streamsAndSqlRefusedMidRunSayItInTheSameOneLine() throws Exception {
    String topic = Names.unique("clicks");
    assertEquals(0, as(alice, "producer", "--topic", topic, "--count", "5", "-q").exitCode());
    // Bob may see the topic, so each starts; reading it is what the broker refuses.
    as(alice, "acls", "add", "--allow", "alice", "--operation", "all", "--topic", topic);
    as(alice, "acls", "add", "--allow", "bob", "--operation", "describe", "--topic", topic);
    String refused =
        "Not authorized to %s topic "
            + topic
            + ": the broker's ACLs do not allow the principal of --command-config";

    Cli.Result streams =
        as(
            bob,
            "streams",
            "--topic",
            topic,
            "--http-port",
            "0",
            "--stop-when-caught-up",
            "--state-dir",
            dir.resolve("streams-state").toString());
    assertEquals(1, streams.exitCode(), streams::toString);
    assertTrue(
        streams.err().contains("error: " + refused.formatted("read or write")), streams::toString);
    assertFalse(streams.err().contains("\tat "), streams::toString);

    // A Connect worker whose group's topics bob may not use: one line before it starts.
    String group = Names.unique("connect");
    as(
        alice,
        "acls",
        "add",
        "--allow",
        "alice",
        "--operation",
        "all",
        "--topic",
        group,
        "--prefixed");
    Cli.Result connect =
        as(
            bob,
            "connect",
            "--group",
            group,
            "--rest-port",
            String.valueOf(dev.kafkademo.support.Ports.free()));
    assertEquals(1, connect.exitCode(), connect::toString);
    assertEquals(1, connect.errLines().size(), connect::toString);
    assertTrue(
        connect.err().contains("Not authorized to read or write topic " + group + "-configs"),
        connect::toString);

    List<String> sql = new ArrayList<>(List.of("sql", "--topic", topic, "--until-latest"));
    sql.addAll(List.of("-b", broker.bootstrapServers(), "--command-config", bob.toString()));
    sql.add("SELECT COUNT(*) AS events FROM user_events");
    try (JarProcess query = JarProcess.start(sql.toArray(String[]::new))) {
      assertEquals(1, query.waitFor(120), query::toString);
      assertEquals(
          List.of(
              "error: "
                  + refused.formatted("read")
                  + " (see kafka-demo acls list --topic "
                  + topic
                  + ")"),
          query.err().lines().filter(l -> l.startsWith("error: ")).toList(),
          query::toString);
      assertFalse(query.err().contains("\tat "), query::toString);
    }
  }

  @Test
  void removingWithoutAFilterIsRefusedBeforeAnythingIsAsked() {
    Cli.Result everything = as(alice, "acls", "remove");
    assertEquals(2, everything.exitCode(), everything::toString);
    assertTrue(
        everything.err().contains("without one it would remove every rule"), everything::toString);

    Cli.Result unknown =
        as(alice, "acls", "add", "--allow", "bob", "--operation", "peek", "--topic", "t");
    assertEquals(2, unknown.exitCode(), unknown::toString);
    assertTrue(unknown.err().contains("'peek' is not an operation"), unknown::toString);
  }

  @Test
  void noPasswordInAnyOutputVerboseIncluded() {
    String topic = Names.unique("quiet");
    Cli.Result result =
        as(
            bob,
            "acls",
            "add",
            "--allow",
            "bob",
            "--operation",
            "all",
            "--topic",
            topic,
            "--verbose");
    Cli.Result listed = as(bob, "acls", "list", "--verbose");

    for (Cli.Result r : List.of(result, listed)) {
      assertFalse(r.toString().contains(BOB_PASSWORD), "no password: " + r);
      assertFalse(r.toString().contains(ALICE_PASSWORD), "no password: " + r);
    }
    as(bob, "acls", "remove", "--topic", topic);
  }

  private static Cli.Result consume(Path config, String topic, String group) {
    return as(
        config,
        "consumer",
        "--topic",
        topic,
        "--group",
        group,
        "--from-beginning",
        "--max-messages",
        "3",
        "--timeout",
        "10s",
        "--format",
        "json");
  }

  /** A command as a user: the broker's address and the user's settings added. */
  private static Cli.Result as(Path config, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("-b", broker.bootstrapServers(), "--command-config", config.toString()));
    return Cli.run(all.toArray(String[]::new));
  }

  /** The group's committed offsets, partition to offset, as a superuser sees them. */
  private static Map<Integer, Long> committed(String group) throws Exception {
    Properties props = new Properties();
    try (var reader = Files.newBufferedReader(alice)) {
      props.load(reader);
    }
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    try (Admin admin = Admin.create(props)) {
      Map<Integer, Long> offsets = new java.util.TreeMap<>();
      admin
          .listConsumerGroupOffsets(group)
          .partitionsToOffsetAndMetadata()
          .get()
          .forEach((tp, om) -> offsets.put(tp.partition(), om.offset()));
      return offsets;
    }
  }

  private static Path userConfig(String user, String password) throws IOException {
    Path file = dir.resolve(user + ".properties");
    Files.writeString(
        file,
        Files.readString(broker.tls().clientProperties())
            + "sasl.mechanism=PLAIN\n"
            + "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required"
            + " username=\""
            + user
            + "\" password=\""
            + password
            + "\";\n");
    return file;
  }
}
