package dev.kafkademo.cli;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kafkademo.support.Cli;
import dev.kafkademo.support.Ports;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bad input as a new user types it, each answered by one clear line and the right exit code, before
 * any broker is asked: none runs here, the address is a closed port.
 */
class BadInputTest {
  private static final String NOBODY = "127.0.0.1:" + Ports.free();
  private static final String LONG_NAME = "t".repeat(300);

  @TempDir Path dir;

  static Stream<Arguments> badTopicNames() {
    return Stream.of("", "a b", "a/b", ".", "..", LONG_NAME)
        .flatMap(
            name ->
                Stream.of(
                    Arguments.of(List.of("producer", "-t", name)),
                    Arguments.of(List.of("consumer", "-t", name)),
                    Arguments.of(List.of("consumer", "--on-error", "dlq", "--dlq-topic", name)),
                    Arguments.of(List.of("topics", "create", name)),
                    Arguments.of(List.of("topics", "describe", name)),
                    Arguments.of(List.of("topics", "delete", name, "--yes")),
                    Arguments.of(List.of("doctor", "-t", name)),
                    Arguments.of(
                        List.of("groups", "reset-offsets", "g", "--topic", name, "--to-latest"))));
  }

  @ParameterizedTest
  @MethodSource("badTopicNames")
  void aTopicNameKafkaWouldRefuseIsAUsageErrorThatSaysWhy(List<String> args) {
    Cli.Result result = run(args);

    assertUsageError(result, "topic");
    assertTrue(
        result.err().length() < 300, "a 300-character name is not echoed in full: " + result);
  }

  @Test
  void kafkasInternalTopicsAreNeverWrittenNorCreated() {
    assertUsageError(
        run("producer", "-t", "__consumer_offsets"),
        "__consumer_offsets is one of Kafka's internal topics: clients cannot write to it");
    assertUsageError(
        run("consumer", "--on-error", "dlq", "--dlq-topic", "__transaction_state"),
        "internal topics");
  }

  @Test
  void streamsOptionsAreCheckedBeforeAnythingStarts() throws IOException {
    Path file = Files.writeString(dir.resolve("not-a-dir"), "");

    assertUsageError(run("streams", "--window", "1 minute"), "is not a duration");
    assertUsageError(run("streams", "--session-gap", "0s"), "--session-gap must be longer than 0");
    assertUsageError(run("streams", "--http-port", "70000"), "--http-port must be between 0");
    assertUsageError(
        run("streams", "--guarantee", "twice"), "is not at-least-once or exactly-once");
    assertUsageError(run("streams", "--application-id", ""), "a group id cannot be empty");
    assertUsageError(
        run("streams", "--state-dir", file.toString()),
        "as the state directory: it is a file, not a directory");
    assertEquals(
        1,
        run("streams", "--guarantee", "EXACTLY_ONCE", "--state-dir", dir.toString()).exitCode(),
        "a valid guarantee in any spelling gets as far as the (absent) broker");
  }

  @Test
  void theEverydayFlagsAreCheckedBeforeAnyBrokerIsAsked() {
    assertUsageError(
        run("consumer", "--filter", "value.eventType == "),
        "--filter: column 20: mismatched input");
    assertUsageError(
        run("consumer", "--filter", "vlue.eventType == 'login'"),
        "--filter: column 1: undeclared reference to 'vlue'");
    assertUsageError(run("consumer", "--filter", "offset + 1"), "--filter: ");
    assertUsageError(
        run("consumer", "--raw", "--filter", "value.eventType == 'login'"), "--filter: column");
    assertUsageError(run("consumer", "--tail", "5", "--from-beginning"), "give one of them");
    assertUsageError(run("consumer", "--tail", "5", "--from-time", "1h"), "give one of them");
    assertUsageError(run("consumer", "--tail", "-1"), "--tail must be 0");
    assertUsageError(run("consumer", "--partition", "-1"), "--partition must be 0 or more");
    assertUsageError(run("consumer", "--from-time", "yesterday"), "'yesterday' is not a time");
    assertUsageError(
        run("consumer", "--from-time", "2026-12-04T10:00:00"), "has no time zone: add Z");
    assertUsageError(run("producer", "-H", "novalue"), "'novalue' is not KEY=VALUE");
    assertUsageError(run("producer", "--header", "=v"), "is not KEY=VALUE");
    assertUsageError(run("producer", "--key-delimiter", ":"), "--key-delimiter is for --raw");
    assertUsageError(
        run("producer", "--raw", "--key-delimiter", ""), "--key-delimiter must not be empty");
    assertUsageError(run("producer", "--raw", "-n", "5"), "--raw sends the lines of --input");
    assertUsageError(
        run("producer", "--raw", "--value-format", "avro"),
        "--value-format and --on-error do not apply");
  }

  @Test
  void anEmptyGroupIsAUsageError() {
    assertUsageError(run("consumer", "--group", ""), "a group id cannot be empty");
    assertUsageError(run("groups", "describe", " "), "a group id cannot be empty");
  }

  @Test
  void numbersOutOfRangeAreUsageErrors() {
    assertUsageError(run("consumer", "--idle-timeout", "999999999h"), "at most 365d");
    assertUsageError(run("consumer", "--idle-timeout", "99999999999999999999999ms"), "too long");
    assertUsageError(run("producer", "--rate", "NaN"), "--rate must be 0");
    assertUsageError(run("producer", "--rate", "Infinity"), "--rate must be 0");
    assertUsageError(run("producer", "--stats", "0"), "--stats takes a whole number of seconds");
    assertUsageError(run("consumer", "--stats", "-5"), "--stats takes a whole number of seconds");
    assertUsageError(
        Cli.run("producer", "-b", NOBODY, "--timeout", "1ms"), "--timeout must be at least 1s");
    assertUsageError(
        Cli.run("topics", "list", "-b", NOBODY, "--timeout", "0s"),
        "--timeout must be at least 1s");
    assertUsageError(run("topics", "create", "orders", "--partitions", "0"), "--partitions");
    assertUsageError(
        run("topics", "create", "orders", "--replication-factor", "0"), "--replication-factor");
    assertUsageError(
        run("groups", "reset-offsets", "g", "--topic", "t", "--to-offset", "-5"),
        "--to-offset must be 0 or more");
  }

  @Test
  void aChoiceIsCheckedByPicocliAndAnyCaseIsAccepted() {
    assertUsageError(run("producer", "--acks", "2"), "'2' is not all, 1 or 0");
    assertUsageError(run("producer", "--compression", "rar"), "none, gzip, snappy, lz4, zstd");
    assertUsageError(run("consumer", "--format", "xml"), "pretty, json, value, none");
    assertUsageError(run("consumer", "--on-error", "ignore"), "skip, fail, dlq");
    assertUsageError(run("producer", "--on-error", "dlq"), "--on-error dlq is for the consumer");

    // Upper case is fine; these get as far as the (absent) broker.
    assertEquals(1, run("producer", "--acks", "ALL", "--compression", "LZ4").exitCode());
    assertEquals(1, run("consumer", "--format", "JSON", "--on-invalid", "Skip").exitCode());
  }

  @Test
  void theProducersOldInvalidPolicyFlagStillWorks() {
    assertEquals(1, run("producer", "--on-invalid", "fail").exitCode());
  }

  @Test
  void xWithoutAPropertyNameIsAUsageError() {
    assertUsageError(run("producer", "-X", "=5"), "-X takes KEY=VALUE");
  }

  @Test
  void idempotenceTheUserAskedForIsNotDroppedForFewerAcks() throws IOException {
    Path config = dir.resolve("client.properties");
    Files.writeString(config, "enable.idempotence=true\n");

    Cli.Result result = run("producer", "--command-config", config.toString(), "--acks", "1");

    assertEquals(2, result.exitCode(), result::toString);
    assertEquals(1, result.errLines().size(), result::toString);
    assertTrue(result.err().contains("acks"), result::toString);
  }

  @Test
  void aSaslSettingTheClientCannotUseIsOneLineWithTheReason() {
    Cli.Result result =
        run(
            "topics",
            "list",
            "-X",
            "security.protocol=SASL_PLAINTEXT",
            "-X",
            "sasl.mechanism=PLAIN");

    assertEquals(2, result.exitCode(), result::toString);
    assertEquals(1, result.errLines().size(), result::toString);
    assertTrue(
        result
            .err()
            .startsWith(
                "error: Cannot create the Kafka client: Could not find a 'KafkaClient' entry"),
        result::toString);
  }

  @Test
  void unknownSettingsAreWarnedAboutNotSilentlyIgnored() throws IOException {
    Path config = dir.resolve("client.properties");
    Files.writeString(config, "linger.ms=5\nthis line is garbage\n");

    Cli.Result result =
        run("producer", "--command-config", config.toString(), "-X", "unknown.property=1");

    assertTrue(
        result
            .err()
            .contains(
                "warning: 'unknown.property' from -X is not a producer setting; it is ignored"),
        result::toString);
    assertTrue(
        result.err().contains("warning: 'this' from --command-config is not a producer setting"),
        result::toString);
    assertTrue(result.err().contains("No Kafka broker answered"), result::toString);
  }

  @Test
  void aCommandConfigThatCannotBeReadSaysWhy() throws IOException {
    Path latin1 = dir.resolve("latin1.properties");
    Files.write(latin1, "sasl.jaas.config=caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));

    assertUsageError(
        run("producer", "--command-config", dir.toString()),
        "Cannot read --command-config " + dir + ": it is a directory");
    assertUsageError(
        run("producer", "--command-config", latin1.toString()),
        "Cannot read --command-config " + latin1 + ": not UTF-8 text");
  }

  @Test
  void inputThatIsADirectoryIsOneLine() {
    assertUsageError(
        run("producer", "--input", dir.toString()),
        "Cannot read --input " + dir + ": it is a directory");
  }

  @Test
  void inputWithoutAValidEventSendsNothingAndNeverAsksTheBroker() throws IOException {
    Path empty = Files.writeString(dir.resolve("empty.jsonl"), "\n\n");
    Path invalid = Files.writeString(dir.resolve("invalid.jsonl"), "{}\nnot json\n");

    Cli.Result nothing = run("producer", "--input", empty.toString());
    Cli.Result rejected = run("producer", "--input", invalid.toString());

    assertEquals(1, nothing.exitCode(), nothing::toString);
    assertEquals(
        "error: Nothing sent: " + empty + " holds no events (it is empty or blank)",
        nothing.err().strip());
    assertEquals(1, rejected.exitCode(), rejected::toString);
    assertTrue(
        rejected.err().contains("Nothing sent: none of the 2 lines of " + invalid),
        rejected::toString);
    assertTrue(!rejected.err().contains("No Kafka broker answered"), rejected::toString);
  }

  @Test
  void aBrokerDataDirectoryThatCannotBeUsedIsOneLine() throws IOException {
    Path file = Files.writeString(dir.resolve("a-file"), "");

    assertUsageError(run("broker", "--data-dir", ""), "--data-dir needs a directory");
    assertUsageError(run("broker", "--data-dir", file.toString()), "it is a file, not a directory");
    assertUsageError(
        run("broker", "--data-dir", "/sys/kafka-demo-test"), "as the data directory: ");
    assertTrue(Files.notExists(Path.of("meta.properties")), "nothing formatted here");
  }

  @Test
  void flinkClusterOptionsThatCannotBeUsedAreOneLine() {
    assertUsageError(
        run("sql", "--checkpoint-dir", "file:///tmp/checkpoints", "SELECT 1"),
        "--checkpoint-dir is for a Flink cluster: give --jobmanager HOST:PORT too");
    assertUsageError(
        run("sql", "--checkpoint-interval", "soon", "SELECT 1"), "'soon' is not a duration");
    assertUsageError(
        Cli.run("sql", "cancel", "abc", "--jobmanager", "127.0.0.1:1"),
        "a Flink job id is 32 hex digits (sql jobs lists them), got 'abc'");
    assertUsageError(
        Cli.run("sql", "jobs", "--jobmanager", "http://localhost:8082"),
        "--jobmanager: expected HOST:PORT of the JobManager's REST API");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "producer",
        "consumer",
        "streams",
        "broker",
        "cluster start",
        "cluster status",
        "sql jobs",
        "sql cancel",
        "doctor",
        "topics list",
        "groups describe"
      })
  void everyCommandsHelpListsTheExitCodes(String command) {
    Cli.Result help = Cli.run((command + " --help").split(" "));

    assertEquals(0, help.exitCode(), help::toString);
    for (String code : List.of("0", "1", "2", "3", "4", "130", "141", "143")) {
      assertTrue(help.out().matches("(?s).*\\n\\s+" + code + "\\s+\\w.*"), code + " in " + help);
    }
  }

  // Moved here from the broker tests: none of these needs a broker.

  @ParameterizedTest
  @ValueSource(strings = {"producer", "consumer"})
  void anUnreachableBrokerIsOneLineNamingTheAddressWithinTheTimeout(String command) {
    Cli.Result result =
        assertTimeoutPreemptively(
            Duration.ofSeconds(20), () -> Cli.run(command, "-b", NOBODY, "--timeout", "2s"));

    assertEquals(1, result.exitCode(), result::toString);
    assertEquals("", result.out(), result::toString);
    assertEquals(1, result.errLines().size(), result::toString);
    String line = result.errLines().get(0);
    assertAll(
        () ->
            assertTrue(
                line.startsWith("error: No Kafka broker answered at " + NOBODY + " within 2s"),
                line),
        () -> assertTrue(line.contains("is running"), line),
        () -> assertTrue(line.contains("--bootstrap-server"), line));
  }

  @Test
  void anUnknownFlagIsOneLineThatPointsToTheHelpAndExitsTwo() {
    Cli.Result result = Cli.run("producer", "--bogus");

    assertEquals(2, result.exitCode(), result::toString);
    assertEquals(
        "error: Unknown option: '--bogus' (see: kafka-demo producer --help)",
        result.errLines().get(0));
    assertEquals("", result.out());
  }

  @Test
  void aBadValueSaysWhatIsExpected() {
    Cli.Result duration = Cli.run("consumer", "--idle-timeout", "10");
    Cli.Result count = Cli.run("producer", "--count", "lots");

    assertUsageError(
        duration, "'10' is not a duration: write a whole number with a unit, like 500ms, 30s, 2m");
    assertUsageError(count, "--count");
  }

  @Test
  void anInvalidClientSettingIsOneLineAndExitTwoBeforeAnyNetwork() {
    Cli.Result badValue = Cli.run("producer", "-X", "acks=banana", "-b", NOBODY);
    Cli.Result badAddress = Cli.run("consumer", "-b", "not a host");

    assertEquals(2, badValue.exitCode(), badValue::toString);
    assertEquals(1, badValue.errLines().size(), badValue::toString);
    assertTrue(
        badValue
            .err()
            .startsWith(
                "error: Invalid client configuration: Invalid value banana for configuration acks"),
        badValue::toString);
    assertEquals(2, badAddress.exitCode(), badAddress::toString);
    assertEquals(
        "error: Invalid client configuration: Invalid url in bootstrap.servers: not a host."
            + " Check --bootstrap-server, --command-config and -X.",
        badAddress.err().strip());
  }

  @Test
  void noCommandIsAUsageError() {
    assertUsageError(Cli.run(), "Missing a command");
  }

  @Test
  void aMissingInputFileIsOneLineAndExitTwo() {
    Path missing = dir.resolve("missing.jsonl");

    Cli.Result result = run("producer", "--input", missing.toString());

    assertEquals(2, result.exitCode(), result::toString);
    assertEquals(
        List.of("error: Cannot read --input " + missing + ": no such file"), result.errLines());
  }

  @Test
  void inputTogetherWithCountIsAUsageError() {
    assertUsageError(
        Cli.run("producer", "--input", "-", "--count", "5"),
        "--count, --users, --time-span and --seed are for generated events");
  }

  /** Runs against an address where no broker listens, with a short timeout. */
  @Test
  void schemaOptionsAndFilesAreCheckedBeforeAnythingIsAsked() throws IOException {
    Path notJson = Files.writeString(dir.resolve("broken.avsc"), "{\"type\": \"record\", ");
    Path notRecord = Files.writeString(dir.resolve("string.avsc"), "\"string\"");

    assertUsageError(run("producer", "--value-format", "xml"), "json, avro");
    assertUsageError(
        run("producer", "--schema", notJson.toString()),
        "--schema and --[no-]auto-register are for --value-format avro");
    assertUsageError(
        run("producer", "--value-format", "avro", "--schema", notJson.toString()),
        "Cannot use --schema " + notJson + ": not an Avro schema");
    assertUsageError(
        run("producer", "--value-format", "avro", "--schema", dir.resolve("none.avsc").toString()),
        "Cannot read --schema " + dir.resolve("none.avsc"));
    assertUsageError(
        run("consumer", "--reader-schema", notRecord.toString()),
        "expected a record schema, got STRING");
    assertUsageError(schemas("register", "s", "--file", notJson.toString()), "not an Avro schema");
    assertUsageError(schemas("register", "s"), "Missing required option: '--file=FILE.avsc'");
    assertUsageError(schemas("show", "s", "--version", "x"), "--version takes a version number");
    assertUsageError(schemas("delete", "s"), "add --yes");
    assertUsageError(schemas("compatibility", "--set", "sideways"), "BACKWARD");
    assertUsageError(
        schemas("list", "--schema-registry", "localhost:8081"), "expected http://HOST:PORT");
  }

  @Test
  void aRegistryThatDoesNotAnswerIsOneLineAndExit1() {
    // Asked again for --timeout, 1 s here (RegistryClientTest pins the retries); then one line.
    Cli.Result result =
        run("producer", "--value-format", "avro", "--schema-registry", "http://" + NOBODY);

    assertEquals(1, result.exitCode(), result::toString);
    assertEquals(
        List.of(
            "error: schema registry http://"
                + NOBODY
                + " is not reachable (is it running?"
                + " check the URL); check --schema-registry"),
        result.errLines());
  }

  @Test
  void connectOptionsAndConnectorFilesAreCheckedBeforeConnectIsAsked() throws IOException {
    Path noClass =
        Files.writeString(dir.resolve("no-class.json"), "{\"config\": {\"tasks.max\": \"1\"}}");
    Path nested =
        Files.writeString(
            dir.resolve("nested.json"), "{\"connector.class\": \"x\", \"a\": {\"b\": 1}}");
    Path notJson = Files.writeString(dir.resolve("broken.json"), "{\"connector.class\": ");

    assertUsageError(
        run("connect", "--rest-port", "70000"), "--rest-port must be between 1 and 65535");
    assertUsageError(
        connectors("apply", "c", "--file", dir.resolve("none.json").toString()), "Cannot read");
    assertUsageError(
        connectors("apply", "c", "--file", noClass.toString()), "has no connector.class");
    assertUsageError(connectors("apply", "c", "--file", nested.toString()), "a must be a text");
    assertUsageError(connectors("apply", "c", "--file", notJson.toString()), "Cannot read");
    assertUsageError(connectors("delete", "c"), "add --yes");
    assertUsageError(
        connectors("list", "--connect-url", "localhost:8083"), "expected http://HOST:PORT");
    assertUsageError(run("consumer", "--raw", "--on-error", "dlq"), "--raw shows records without");
  }

  @Test
  void aConnectWorkerThatDoesNotAnswerIsOneLineAndExit1() {
    Cli.Result result = connectors("list", "--connect-url", "http://" + NOBODY);

    assertEquals(1, result.exitCode(), result::toString);
    assertEquals(
        List.of(
            "error: Kafka Connect at http://"
                + NOBODY
                + " is not reachable (is it running?"
                + " check the URL); check --connect-url (is 'kafka-demo connect' running?)"),
        result.errLines());
  }

  private static Cli.Result connectors(String... args) {
    List<String> all = new java.util.ArrayList<>(List.of("connectors"));
    all.addAll(List.of(args));
    return Cli.run(all.toArray(String[]::new));
  }

  private static Cli.Result schemas(String... args) {
    List<String> all = new java.util.ArrayList<>(List.of("schemas"));
    all.addAll(List.of(args));
    return Cli.run(all.toArray(String[]::new));
  }

  private static Cli.Result run(String... args) {
    return run(List.of(args));
  }

  private static Cli.Result run(List<String> args) {
    List<String> all = new java.util.ArrayList<>(args);
    if (!args.isEmpty() && !args.get(0).equals("broker")) {
      all.addAll(List.of("-b", NOBODY, "--timeout", "1s"));
    }
    return Cli.run(all.toArray(String[]::new));
  }

  @Test
  void backupAndRestoreSayWhatIsWrongWithTheirDirectoryBeforeAskingTheCluster() throws IOException {
    Path file = Files.writeString(dir.resolve("a-file"), "");
    Path notABackup = Files.createDirectories(dir.resolve("photos"));
    Files.writeString(notABackup.resolve("cat.jpg"), "");
    Path empty = Files.createDirectories(dir.resolve("empty"));

    assertUsageError(run("backup", "--to", empty.toString()), "Missing --topic");
    assertUsageError(run("backup", "-t", "orders"), "Missing --to");
    assertUsageError(run("backup", "-t", "orders", "--to", file.toString()), "is not a directory");
    assertUsageError(
        run("backup", "-t", "orders", "--to", notABackup.toString()),
        "is not empty and holds no backup");
    assertUsageError(Cli.run("backup", "verify", empty.toString()), "holds no backup");
    assertUsageError(run("restore", "--from", empty.toString()), "holds no backup");
    assertUsageError(run("restore"), "--from");
    assertUsageError(
        run("restore", "--from", empty.toString(), "--rename", "orders=a/b"), "--rename");
  }

  private static void assertUsageError(Cli.Result result, String expected) {
    assertEquals(2, result.exitCode(), result::toString);
    assertEquals(1, result.errLines().size(), "one line: " + result);
    assertTrue(result.err().contains(expected), expected + " in " + result);
    assertEquals("", result.out(), result::toString);
  }
}
