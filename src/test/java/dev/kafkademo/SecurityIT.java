package dev.kafkademo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kafkademo.broker.EmbeddedBroker;
import dev.kafkademo.support.Cli;
import dev.kafkademo.support.Names;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
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
            new EmbeddedBroker.Settings(0, null, 3, true, Map.of("alice", PASSWORD)));
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
  void aWrongPasswordIsOneAuthenticationFailedLineAndExitOne() throws IOException {
    Path config = clientConfig("SCRAM-SHA-256", "alice", "not-the-password");

    Cli.Result result =
        assertTimeoutPreemptively(
            Duration.ofSeconds(30),
            () ->
                Cli.run(
                    "producer",
                    "-b",
                    broker.bootstrapServers(),
                    "--command-config",
                    config.toString()));

    assertEquals(1, result.exitCode(), result::toString);
    assertEquals(1, result.errLines().size(), result::toString);
    assertTrue(
        result.errLines().get(0).startsWith("error: Authentication failed: "), result::toString);
    assertTrue(
        result.errLines().get(0).contains("Check the credentials in --command-config"),
        result::toString);
    assertFalse(result.err().contains("not-the-password"), "the password is never printed");
  }

  @Test
  void withoutCredentialsTheBrokerDoesNotAnswerAndTheUserIsToldWithinTheTimeout() {
    Cli.Result result = Cli.run("consumer", "-b", broker.bootstrapServers(), "--timeout", "3s");

    assertEquals(1, result.exitCode(), result::toString);
    assertEquals(1, result.errLines().size(), result::toString);
  }

  @Test
  void verboseLogsNeverShowThePassword() throws IOException {
    Path config = clientConfig("SCRAM-SHA-512", "alice", PASSWORD);

    Cli.Result produced =
        Cli.run(
            "producer",
            "-b",
            broker.bootstrapServers(),
            "--command-config",
            config.toString(),
            "--count",
            "1",
            "--verbose");
    Cli.Result badValue =
        Cli.run(
            "producer",
            "-b",
            broker.bootstrapServers(),
            "--command-config",
            config.toString(),
            "-X",
            "acks=maybe",
            "--verbose");

    assertEquals(0, produced.exitCode(), produced::toString);
    assertFalse(
        produced.out().contains(PASSWORD) || produced.err().contains(PASSWORD), produced::toString);
    assertEquals(2, badValue.exitCode(), badValue::toString);
    assertFalse(badValue.err().contains(PASSWORD), badValue::toString);
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
