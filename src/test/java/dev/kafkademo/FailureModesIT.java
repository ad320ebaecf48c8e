package dev.kafkademo;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kafkademo.events.EventGenerator;
import dev.kafkademo.events.EventJson;
import dev.kafkademo.support.Cli;
import dev.kafkademo.support.Ports;
import dev.kafkademo.support.TestBroker;
import dev.kafkademo.support.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What a user sees when something is wrong: one clear line and the right exit code. */
class FailureModesIT {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"producer", "consumer"})
  void anUnreachableBrokerIsOneLineNamingTheAddressWithinTheTimeout(String command) {
    String address = "127.0.0.1:" + Ports.free();

    Cli.Result result =
        assertTimeoutPreemptively(
            Duration.ofSeconds(20), () -> Cli.run(command, "-b", address, "--timeout", "2s"));

    assertEquals(1, result.exitCode(), result::toString);
    assertEquals("", result.out(), result::toString);
    assertEquals(1, result.errLines().size(), result::toString);
    String line = result.errLines().get(0);
    assertAll(
        () ->
            assertTrue(
                line.startsWith("error: No Kafka broker answered at " + address + " within 2s"),
                line),
        () -> assertTrue(line.contains("is running"), line),
        () -> assertTrue(line.contains("--bootstrap-server"), line));
  }

  @Test
  void anUnknownFlagPrintsTheUsageAndExitsTwo() {
    Cli.Result result = Cli.run("producer", "--bogus");

    assertEquals(2, result.exitCode(), result::toString);
    assertTrue(result.err().startsWith("error: Unknown option: '--bogus'"), result::toString);
    assertTrue(result.err().contains("Usage: kafka-demo producer"), result::toString);
    assertEquals("", result.out());
  }

  @Test
  void aBadValueSaysWhatIsExpected() {
    Cli.Result duration = Cli.run("consumer", "--idle-timeout", "10");
    Cli.Result count = Cli.run("producer", "--count", "lots");
    Cli.Result acks = Cli.run("producer", "--acks", "2");

    assertEquals(2, duration.exitCode(), duration::toString);
    assertTrue(
        duration
            .err()
            .contains(
                "'10' is not a duration: write a whole number with a unit, like 500ms, 30s, 2m"),
        duration::toString);
    assertEquals(2, count.exitCode(), count::toString);
    assertTrue(count.err().contains("--count"), count::toString);
    assertEquals(2, acks.exitCode(), acks::toString);
    assertTrue(acks.err().contains("--acks must be all, 1 or 0, got '2'"), acks::toString);
  }

  @Test
  void anInvalidClientSettingIsOneLineAndExitTwoBeforeAnyNetwork() {
    Cli.Result badValue =
        Cli.run("producer", "-X", "acks=banana", "-b", "127.0.0.1:" + Ports.free());
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
    Cli.Result result = Cli.run();

    assertEquals(2, result.exitCode(), result::toString);
    assertTrue(result.err().contains("Missing a command"), result::toString);
  }

  @Test
  void aMissingInputFileIsOneLineAndExitTwo() {
    Path missing = dir.resolve("missing.jsonl");

    Cli.Result result =
        Cli.run("producer", "--input", missing.toString(), "-b", "127.0.0.1:" + Ports.free());

    assertEquals(2, result.exitCode(), result::toString);
    assertEquals(1, result.errLines().size(), result::toString);
    assertEquals(
        "error: Cannot read --input " + missing + ": no such file", result.errLines().get(0));
  }

  @Test
  void inputTogetherWithCountIsAUsageError() {
    Cli.Result result = Cli.run("producer", "--input", "-", "--count", "5");

    assertEquals(2, result.exitCode(), result::toString);
    assertTrue(
        result.err().contains("--count and --users are for generated events"), result::toString);
  }

  @Test
  void invalidInputLinesAreReportedByNumberAndTheValidOnesStillSent() throws IOException {
    String topic = Topics.create(TestBroker.bootstrapServers(), 1);
    EventGenerator generator = new EventGenerator(2);
    Path input = dir.resolve("mixed.jsonl");
    Files.writeString(
        input,
        String.join(
            "\n",
            json(generator),
            "{\"eventId\": oops",
            "",
            json(generator)
                .replace("\"login\"", "\"dance\"")
                .replace("\"logout\"", "\"dance\"")
                .replace("\"page_view\"", "\"dance\"")
                .replace("\"add_to_cart\"", "\"dance\"")
                .replace("\"purchase\"", "\"dance\"")
                .replace("\"search\"", "\"dance\""),
            json(generator)));

    Cli.Result result =
        Cli.run(
            "producer",
            "-b",
            TestBroker.bootstrapServers(),
            "--topic",
            topic,
            "--input",
            input.toString());

    assertEquals(1, result.exitCode(), "rejected lines make the run fail: " + result);
    assertEquals(2, result.outLines().size(), "the two valid events were delivered: " + result);
    assertTrue(
        result.err().contains("rejected " + input + " line 2: not valid JSON"), result::toString);
    assertTrue(
        result.err().contains("rejected " + input + " line 4: eventType 'dance' is not one of"),
        result::toString);
    assertTrue(
        result.err().contains("Sent 2 events to " + topic + ": 2 acknowledged, 0 failed"),
        result::toString);
    assertTrue(result.err().contains("Rejected 2 input lines"), result::toString);
  }

  private static String json(EventGenerator generator) {
    return new String(EventJson.toBytes(generator.next()), StandardCharsets.UTF_8);
  }
}
