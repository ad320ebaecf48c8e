package dev.kafkademo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kafkademo.broker.EmbeddedBroker;
import dev.kafkademo.events.EventJson;
import dev.kafkademo.events.EventType;
import dev.kafkademo.events.UserEvent;
import dev.kafkademo.support.Cli;
import dev.kafkademo.support.JarProcess;
import dev.kafkademo.support.Names;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Producing and consuming against a broker that requires SASL, configured as users do it. */
class SecurityIT {
  private static final String PASSWORD = "s3cr3t-Pa55word";
  private static EmbeddedBroker broker;

  @TempDir Path dir;

  @BeforeAll
  static void startSecuredBroker() throws IOException {
    broker =
        EmbeddedBroker.start(
            EmbeddedBroker.Settings.ephemeral().withSaslUsers(Map.of("alice", PASSWORD)));
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"})
  void anAuthenticatedUserProducesAndConsumesWithACommandConfigFile(String mechanism)
      throws IOException {
    Path config = clientConfig(mechanism, "alice", PASSWORD);
    String topic = Names.unique("secured");

    Cli.Result produced =
        Cli.run(
            "producer",
            "-b",
            broker.bootstrapServers(),
            "--command-config",
            config.toString(),
            "--topic",
            topic,
            "--count",
            "5");
    Cli.Result consumed =
        Cli.run(
            "consumer",
            "-b",
            broker.bootstrapServers(),
            "--command-config",
            config.toString(),
            "--topic",
            topic,
            "--group",
            Names.unique("group"),
            "--from-beginning",
            "--max-messages",
            "5",
            "--format",
            "json");

    assertEquals(0, produced.exitCode(), produced::toString);
    assertEquals(5, produced.outLines().size(), produced::toString);
    assertEquals(0, consumed.exitCode(), consumed::toString);
    assertEquals(5, consumed.outLines().size(), consumed::toString);
  }

  @Test
  void aWrongPasswordIsOneAuthenticationFailedLineAndExitOne() throws Exception {
    Path config = clientConfig("SCRAM-SHA-256", "alice", "not-the-password");

    // As a process, so that any log line the Kafka client writes to stderr would show here too.
    JarProcess result =
        JarProcess.start(
            "producer", "-b", broker.bootstrapServers(), "--command-config", config.toString());

    assertEquals(1, result.waitFor(60), result::toString);
    List<String> errLines = result.err().lines().filter(l -> !l.isBlank()).toList();
    assertEquals(1, errLines.size(), "one line, no client logs: " + result);
    assertTrue(errLines.get(0).startsWith("error: Authentication failed: "), result::toString);
    assertTrue(
        errLines.get(0).contains("Check the credentials in --command-config"), result::toString);
    assertFalse(result.err().contains("not-the-password"), "the password is never printed");
  }

  @Test
  void doctorWithAWrongPasswordSaysAuthenticationFailedNotThatTheBrokerIsDown() throws IOException {
    Path config = clientConfig("SCRAM-SHA-256", "alice", "not-the-password");

    Cli.Result doctor =
        Cli.run("doctor", "-b", broker.bootstrapServers(), "--command-config", config.toString());

    assertEquals(1, doctor.exitCode(), doctor::toString);
    assertTrue(
        doctor
            .outLines()
            .get(0)
            .matches(
                "FAIL\\s+bootstrap\\s+a broker answered at .* but" + " authentication failed: .*"),
        doctor::toString);
    assertTrue(
        doctor.out().contains("fix: the broker is up: check the user and password"),
        doctor::toString);
    assertFalse(doctor.out().contains("start the broker"), doctor::toString);
    assertFalse(doctor.out().contains("not-the-password"), doctor::toString);
  }

  @Test
  void withoutCredentialsTheBrokerDoesNotAnswerAndTheUserIsToldWithinTheTimeout() {
    Cli.Result result = Cli.run("consumer", "-b", broker.bootstrapServers(), "--timeout", "3s");

    assertEquals(1, result.exitCode(), result::toString);
    assertEquals(1, result.errLines().size(), result::toString);
  }

  @Test
  void verboseLogsNeverShowThePassword() throws Exception {
    Path config = clientConfig("SCRAM-SHA-512", "alice", PASSWORD);

    // Processes, not in-process runs: the client logs go to the process's stderr, which only a
    // child process lets the test read.
    JarProcess produced =
        JarProcess.start(
            "producer",
            "-b",
            broker.bootstrapServers(),
            "--command-config",
            config.toString(),
            "--count",
            "1",
            "--verbose");
    JarProcess badValue =
        JarProcess.start(
            "producer",
            "-b",
            broker.bootstrapServers(),
            "--command-config",
            config.toString(),
            "-X",
            "acks=maybe",
            "--verbose");

    assertEquals(0, produced.waitFor(60), produced::toString);
    assertTrue(produced.err().contains("sasl.jaas.config = [hidden]"), "the logs ran: " + produced);
    assertFalse(
        produced.out().contains(PASSWORD) || produced.err().contains(PASSWORD), produced::toString);
    assertEquals(2, badValue.waitFor(60), badValue::toString);
    assertFalse(badValue.err().contains(PASSWORD), badValue::toString);
  }

  @Test
  void aUserTheAclsDenyGetsOneNotAuthorizedLine() throws Exception {
    Path aliceConfig = clientConfig("SCRAM-SHA-256", "alice", PASSWORD);
    String topic = Names.unique("forbidden");
    try (Admin admin = adminAs(aliceConfig)) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
      aliceMay(admin, topic, AclOperation.WRITE, AclPermissionType.DENY);
    }

    Cli.Result result = produceThreeAs(aliceConfig, topic);

    assertEquals(1, result.exitCode(), result::toString);
    assertEquals(
        "error: Not authorized to write to topic "
            + topic
            + ": the broker's ACLs do not allow the principal of --command-config (see kafka-demo"
            + " acls list --topic "
            + topic
            + ")",
        result.err().strip());
    assertEquals("", result.out(), "nothing confirmed");

    try (Admin admin = adminAs(aliceConfig)) { // may see the topic now, still not write to it
      aliceMay(admin, topic, AclOperation.DESCRIBE, AclPermissionType.ALLOW);
    }
    Cli.Result sending = produceThreeAs(aliceConfig, topic);

    assertEquals(1, sending.exitCode(), sending::toString);
    assertTrue(
        sending.err().contains("TopicAuthorizationException")
            && sending.err().contains("-> this user may not write to the topic: check its ACLs"),
        sending::toString);
    assertEquals("", sending.out(), "nothing confirmed");
  }

  @Test
  void anEventLargerThanTheTopicAllowsIsNamedWithWhatToCheck() throws Exception {
    String topic = Names.unique("small");
    Path aliceConfig = clientConfig("PLAIN", "alice", PASSWORD);
    try (Admin admin = adminAs(aliceConfig)) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(topic, 1, (short) 1).configs(Map.of("max.message.bytes", "600"))))
          .all()
          .get();
    }
    UserEvent big =
        new UserEvent(
            UUID.randomUUID(),
            "user-1",
            EventType.SEARCH,
            Instant.now(),
            Map.of("query", "x".repeat(2000)));
    Path input = dir.resolve("big.jsonl");
    Files.write(input, EventJson.toBytes(big));

    Cli.Result result =
        Cli.run(
            "producer",
            "-b",
            broker.bootstrapServers(),
            "--command-config",
            aliceConfig.toString(),
            "--topic",
            topic,
            "--input",
            input.toString());

    assertEquals(1, result.exitCode(), result::toString);
    assertTrue(result.err().contains("failed: 1 x RecordTooLargeException"), result::toString);
    assertTrue(
        result.err().contains("-> the event is larger than the topic's max.message.bytes"),
        result::toString);
  }

  private static void aliceMay(
      Admin admin, String topic, AclOperation operation, AclPermissionType permission)
      throws Exception {
    AccessControlEntry entry = new AccessControlEntry("User:alice", "*", operation, permission);
    ResourcePattern resource = new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL);
    admin.createAcls(List.of(new AclBinding(resource, entry))).all().get();
  }

  private static Cli.Result produceThreeAs(Path clientConfig, String topic) {
    return Cli.run(
        "producer",
        "-b",
        broker.bootstrapServers(),
        "--command-config",
        clientConfig.toString(),
        "--topic",
        topic,
        "--count",
        "3");
  }

  /** An admin client that authenticates with a client properties file, as the commands do. */
  private static Admin adminAs(Path clientConfig) throws IOException {
    Properties props = new Properties();
    try (var reader = Files.newBufferedReader(clientConfig)) {
      props.load(reader);
    }
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    return Admin.create(props);
  }

  private Path clientConfig(String mechanism, String user, String password) throws IOException {
    String module =
        mechanism.equals("PLAIN")
            ? "org.apache.kafka.common.security.plain.PlainLoginModule"
            : "org.apache.kafka.common.security.scram.ScramLoginModule";
    Path file = dir.resolve(mechanism + "-" + user + ".properties");
    Files.writeString(
        file,
        "security.protocol=SASL_PLAINTEXT\n"
            + "sasl.mechanism="
            + mechanism
            + "\n"
            + "sasl.jaas.config="
            + module
            + " required username=\""
            + user
            + "\" password=\""
            + password
            + "\";\n");
    return file;
  }
}
