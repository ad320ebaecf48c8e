package dev.kafkademo;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kafkademo.broker.EmbeddedBroker;
import dev.kafkademo.broker.TlsFiles;
import dev.kafkademo.support.Cli;
import dev.kafkademo.support.JarProcess;
import dev.kafkademo.support.Kcat;
import dev.kafkademo.support.Names;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded broker over TLS, mutual TLS and SASL_SSL, with the settings it writes for clients:
 * our commands and kcat (librdkafka) round trips, and each certificate mistake as one line.
 */
class TlsIT {
  private static final String PASSWORD = "tls-Pa55word-7";
  private static EmbeddedBroker tls;
  private static EmbeddedBroker mutual;
  private static EmbeddedBroker saslSsl;

  @TempDir static Path certificates;
  @TempDir Path dir;

  @BeforeAll
  static void startBrokers() throws IOException {
    tls = start(EmbeddedBroker.Settings.ephemeral(), "tls", false);
    mutual = start(EmbeddedBroker.Settings.ephemeral(), "mutual", true);
    saslSsl =
        start(
            EmbeddedBroker.Settings.ephemeral().withSaslUsers(Map.of("alice", PASSWORD)),
            "sasl",
            false);
  }

  private static EmbeddedBroker start(
      EmbeddedBroker.Settings settings, String name, boolean clientAuth) throws IOException {
    return EmbeddedBroker.start(
        settings.withTls(new EmbeddedBroker.Tls(certificates.resolve(name), clientAuth)));
  }

  @AfterAll
  static void stopBrokers() {
    for (EmbeddedBroker broker : List.of(tls, mutual, saslSsl)) {
      if (broker != null) {
        broker.close();
      }
    }
  }

  @Test
  void aRoundTripOverTlsWithTheWrittenClientSettingsAndWithKcat() throws Exception {
    String topic = Names.unique("tls");
    Path config = tls.tls().clientProperties();
    assertTrue(Files.readString(config).contains("security.protocol=SSL\n"));

    assertRoundTrip(tls, config, topic);
    assertKcatReadsFive(
        tls, topic, "-X", "security.protocol=ssl", "-X", "ssl.ca.location=" + tls.tls().ca());
  }

  @Test
  void mutualTlsWithTheClientCertificateForUsAndForKcat() throws Exception {
    String topic = Names.unique("mtls");
    Path config = mutual.tls().clientProperties();
    assertTrue(Files.readString(config).contains("ssl.keystore.location="));

    Kcat.Result written =
        Kcat.run(
            "user-1\t{\"note\":\"from kcat\"}\n",
            "-b",
            mutual.bootstrapServers(),
            "-X",
            "security.protocol=ssl",
            "-X",
            "ssl.ca.location=" + mutual.tls().ca(),
            "-X",
            "ssl.certificate.location=" + mutual.tls().dir().resolve(TlsFiles.CLIENT_CERT),
            "-X",
            "ssl.key.location=" + mutual.tls().dir().resolve(TlsFiles.CLIENT_KEY),
            "-P",
            "-K",
            "\t",
            "-t",
            topic);
    assertEquals(0, written.exitCode(), written::toString);
    Cli.Result read =
        Cli.consumer(
            mutual.bootstrapServers(),
            topic,
            Names.unique("group"),
            "--command-config",
            config.toString(),
            "--raw",
            "--from-beginning",
            "--max-messages",
            "1");
    assertEquals(0, read.exitCode(), read::toString);
    assertTrue(read.out().contains("{\"note\":\"from kcat\"}"), read::toString);
  }

  @Test
  void theClientCertificatesCnIsThePrincipalTheAclsName() throws Exception {
    String topic = Names.unique("by-cn");
    String config = mutual.tls().clientProperties().toString();
    String[] connection = {"-b", mutual.bootstrapServers(), "--command-config", config};
    assertEquals(0, run(connection, "producer", "--topic", topic, "--count", "2", "-q").exitCode());
    // A rule for someone else closes the topic to the client...
    run(
        connection,
        "acls",
        "add",
        "--allow",
        "User:someone",
        "--operation",
        "read",
        "--topic",
        topic);
    Cli.Result denied =
        run(
            connection,
            "consumer",
            "--topic",
            topic,
            "--group",
            Names.unique("g"),
            "--from-beginning",
            "--max-messages",
            "2");
    assertEquals(1, denied.exitCode(), denied::toString);
    assertTrue(denied.err().contains("Not authorized to read topic " + topic), denied::toString);

    // ... and one for User:client, the certificate's CN, opens it again.
    run(
        connection,
        "acls",
        "add",
        "--allow",
        "User:" + TlsFiles.CLIENT_NAME,
        "--operation",
        "read,describe",
        "--topic",
        topic);
    Cli.Result read =
        run(
            connection,
            "consumer",
            "--topic",
            topic,
            "--group",
            Names.unique("g"),
            "--from-beginning",
            "--max-messages",
            "2");
    assertEquals(0, read.exitCode(), read::toString);
    assertEquals(2, read.outLines().size(), read::toString);
  }

  private static Cli.Result run(String[] connection, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of(connection));
    return Cli.run(all.toArray(String[]::new));
  }

  @Test
  void saslOverTlsWithAUsersPasswordAddedToTheWrittenSettings() throws Exception {
    String topic = Names.unique("sasl-ssl");
    Path config = dir.resolve("alice.properties");
    String written = Files.readString(saslSsl.tls().clientProperties());
    assertTrue(written.contains("security.protocol=SASL_SSL\n"), written);
    Files.writeString(
        config,
        written
            + "sasl.mechanism=PLAIN\n"
            + "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required"
            + " username=\"alice\" password=\""
            + PASSWORD
            + "\";\n");

    assertRoundTrip(saslSsl, config, topic);
    assertKcatReadsFive(
        saslSsl,
        topic,
        "-X",
        "security.protocol=sasl_ssl",
        "-X",
        "ssl.ca.location=" + saslSsl.tls().ca(),
        "-X",
        "sasl.mechanisms=PLAIN",
        "-X",
        "sasl.username=alice",
        "-X",
        "sasl.password=" + PASSWORD);
  }

  @Test
  void aClientThatDoesNotTrustTheCaIsOneLineNamingTheTruststore() throws IOException {
    // The mutual broker's CA is another CA: the TLS broker's certificate is not signed by it.
    Path config = dir.resolve("other-ca.properties");
    Files.writeString(
        config,
        "security.protocol=SSL\nssl.truststore.type=PEM\nssl.truststore.location="
            + mutual.tls().ca()
            + "\n");

    Cli.Result result =
        Cli.run(
            "topics", "list", "-b", tls.bootstrapServers(), "--command-config", config.toString());

    assertOneLine(result, "not signed by a CA this client trusts");
    assertTrue(result.err().contains("ssl.truststore.location"), result::toString);
  }

  @Test
  void aPlaintextClientOnTheTlsPortIsToldTheBrokerSpeaksTls() {
    Cli.Result result = Cli.run("topics", "list", "-b", tls.bootstrapServers(), "--timeout", "3s");

    assertOneLine(result, "it speaks TLS and this client plaintext");
  }

  @Test
  void withoutAClientCertificateTheMutualBrokerIsOneLineNamingTheKeystore() throws IOException {
    Path config = dir.resolve("no-certificate.properties");
    Files.writeString(
        config,
        "security.protocol=SSL\nssl.truststore.type=PEM\nssl.truststore.location="
            + mutual.tls().ca()
            + "\n");

    Cli.Result result =
        Cli.run(
            "topics",
            "list",
            "-b",
            mutual.bootstrapServers(),
            "--command-config",
            config.toString(),
            "--timeout",
            "5s");

    assertOneLine(result, "wants a client certificate");
  }

  @Test
  void doctorShowsTheBrokersCertificate() {
    Cli.Result result =
        Cli.run(
            "doctor",
            "-b",
            tls.bootstrapServers(),
            "--command-config",
            tls.tls().clientProperties().toString());

    assertTrue(result.out().contains("CN=localhost"), result::toString);
    assertTrue(result.out().contains("issued by CN=kafka-demo CA"), result::toString);
    assertTrue(result.out().contains("valid until 20"), result::toString);
  }

  @Test
  void theBrokerCommandSaysWhereTheCertificatesAreAndKeepsThemAcrossRestarts() throws Exception {
    // By default beside the data directory: Kafka refuses any other directory inside it.
    Path dataDir = dir.resolve("broker");
    Path tlsDir = dir.resolve("broker-tls");
    String first = runBrokerUntilReady(dataDir);
    byte[] ca = Files.readAllBytes(tlsDir.resolve(TlsFiles.CA));
    String second = runBrokerUntilReady(dataDir);

    assertTrue(first.contains("TLS: clients trust " + tlsDir.resolve(TlsFiles.CA)), first);
    assertTrue(first.contains(tlsDir.resolve(TlsFiles.CLIENT_PROPERTIES).toString()), first);
    assertTrue(first.contains("principal User:client"), first);
    assertTrue(second.contains("TLS: clients trust"), second);
    assertEquals(
        new String(ca),
        Files.readString(tlsDir.resolve(TlsFiles.CA)),
        "the same CA after a restart");
    for (String output : List.of(first, second)) {
      assertFalse(output.contains("PRIVATE KEY"), output);
    }
  }

  @Test
  void theComposeScriptsFilesServeARealBrokerAndItsClients() throws Exception {
    Path secure = dir.resolve("secure");
    String first = runScript("scripts/secure-compose.sh", "--dir", secure.toString());
    String jaas = Files.readString(secure.resolve("kafka_server_jaas.conf"));
    java.util.regex.Matcher alice =
        java.util.regex.Pattern.compile("user_alice=\"([^\"]+)\"").matcher(jaas);
    assertTrue(alice.find(), jaas.length() + " characters, no alice");
    String password = alice.group(1);
    assertFalse(first.contains(password), "no password printed: " + first);
    assertTrue(Files.readString(secure.resolve("alice.properties")).contains("SASL_SSL"));

    // Our broker with the script's certificates and alice's password, as the Compose one has them.
    try (EmbeddedBroker broker =
        EmbeddedBroker.start(
            EmbeddedBroker.Settings.ephemeral()
                .withSaslUsers(Map.of("alice", password))
                .withTls(new EmbeddedBroker.Tls(secure.resolve("tls"), false)))) {
      Cli.Result listed =
          Cli.run(
              "topics",
              "list",
              "-b",
              broker.bootstrapServers(),
              "--command-config",
              secure.resolve("alice.properties").toString());
      assertEquals(0, listed.exitCode(), listed::toString);
    }
    byte[] ca = Files.readAllBytes(secure.resolve("tls").resolve(TlsFiles.CA));
    runScript("scripts/secure-compose.sh", "--dir", secure.toString());
    assertEquals(jaas, Files.readString(secure.resolve("kafka_server_jaas.conf")), "kept");
    assertEquals(new String(ca), Files.readString(secure.resolve("tls").resolve(TlsFiles.CA)));
  }

  private static String runScript(String... command) throws Exception {
    Process process =
        new ProcessBuilder(List.of(command).toArray(String[]::new))
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes());
    assertTrue(process.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), output);
    assertEquals(0, process.exitValue(), output);
    return output;
  }

  private static String runBrokerUntilReady(Path dataDir) throws Exception {
    try (JarProcess broker =
        JarProcess.start(
            "broker",
            "--port",
            String.valueOf(dev.kafkademo.support.Ports.free()),
            "--tls",
            "--tls-client-auth",
            "--data-dir",
            dataDir.toString())) {
      await()
          .atMost(Duration.ofSeconds(90))
          .until(() -> broker.out().contains("Clients must show a certificate") || !broker.alive());
      String out = broker.out();
      broker.terminate(60);
      return out;
    }
  }

  /** kcat, with these security settings, reads the topic's five events from the beginning. */
  private static void assertKcatReadsFive(EmbeddedBroker broker, String topic, String... security)
      throws Exception {
    List<String> args = new ArrayList<>(List.of("-b", broker.bootstrapServers()));
    args.addAll(List.of(security));
    args.addAll(List.of("-C", "-t", topic, "-o", "beginning", "-e", "-q"));
    Kcat.Result read = Kcat.run(null, args.toArray(String[]::new));
    assertEquals(0, read.exitCode(), read::toString);
    assertEquals(5, read.outLines().size(), read::toString);
  }

  /** Five events produced and read back with these client settings; no secret in the output. */
  private static void assertRoundTrip(EmbeddedBroker broker, Path config, String topic)
      throws IOException {
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
            "5",
            "--verbose");
    Cli.Result consumed =
        Cli.consumer(
            broker.bootstrapServers(),
            topic,
            Names.unique("group"),
            "--command-config",
            config.toString(),
            "--from-beginning",
            "--max-messages",
            "5",
            "--format",
            "json");
    assertEquals(0, produced.exitCode(), produced::toString);
    assertEquals(5, produced.outLines().size(), produced::toString);
    assertEquals(0, consumed.exitCode(), consumed::toString);
    assertEquals(5, consumed.outLines().size(), consumed::toString);
    List<String> outputs = new ArrayList<>(List.of(produced.toString(), consumed.toString()));
    for (String output : outputs) {
      assertFalse(output.contains(PASSWORD), "no password in the output");
      assertFalse(output.contains("PRIVATE KEY"), "no key in the output");
    }
  }

  private static void assertOneLine(Cli.Result result, String expected) {
    assertEquals(1, result.exitCode(), result::toString);
    assertEquals(1, result.errLines().size(), "one line: " + result);
    assertTrue(result.err().contains(expected), expected + " in " + result);
    assertFalse(result.err().contains("\tat "), "no stack trace: " + result);
  }
}
