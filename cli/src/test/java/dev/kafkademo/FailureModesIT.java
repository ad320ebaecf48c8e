package dev.kafkademo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kafkademo.events.EventGenerator;
import dev.kafkademo.events.EventJson;
import dev.kafkademo.support.Cli;
import dev.kafkademo.support.Names;
import dev.kafkademo.support.RawRecords;
import dev.kafkademo.support.TestBroker;
import dev.kafkademo.support.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user sees when something is wrong and only the broker can tell: one clear line and the
 * right exit code. (What is wrong before any broker is asked is in BadInputTest.)
 */
class FailureModesIT {
  private final String bootstrap = TestBroker.bootstrapServers();

  @TempDir Path dir;

  @Test
  void topicSettingsTheBrokerRefusesAreUsageErrorsInItsOwnWords() {
    Cli.Result tooManyCopies =
        Cli.run(
            "topics", "create", Names.unique("t"), "--replication-factor", "2", "-b", bootstrap);
    Cli.Result unknownSetting =
        Cli.run("topics", "create", Names.unique("t"), "--config", "bad=1", "-b", bootstrap);
    Cli.Result badValue =
        Cli.run(
            "topics", "create", Names.unique("t"), "--config", "retention.ms=abc", "-b", bootstrap);

    for (Cli.Result result : List.of(tooManyCopies, unknownSetting, badValue)) {
      assertEquals(2, result.exitCode(), result::toString);
      assertEquals(1, result.errLines().size(), result::toString);
      assertTrue(result.err().startsWith("error: Cannot create topic "), result::toString);
    }
    assertTrue(
        tooManyCopies.err().contains("replication factor of 2 cannot be reached"),
        tooManyCopies::toString);
    assertTrue(unknownSetting.err().contains("bad"), unknownSetting::toString);
    assertTrue(badValue.err().contains("abc"), badValue::toString);
  }

  @Test
  void resettingAGroupThatDoesNotExistIsNotFound() {
    String topic = Topics.create(bootstrap, 1);

    Cli.Result result =
        Cli.run(
            "groups",
            "reset-offsets",
            Names.unique("nobody"),
            "--topic",
            topic,
            "--to-earliest",
            "-b",
            bootstrap);

    assertEquals(4, result.exitCode(), result::toString);
    assertTrue(
        result.err().contains("does not exist: see kafka-demo groups list"), result::toString);
  }

  @Test
  void aConsumerWaitsForAMissingTopicAndNeverCreatesIt() {
    String typo = Names.unique("nosuchtopic");

    Cli.Result result = Cli.run("consumer", "-b", bootstrap, "-t", typo, "--idle-timeout", "2s");

    assertEquals(0, result.exitCode(), result::toString);
    assertTrue(
        result.err().contains("note: topic " + typo + " does not exist yet"), result::toString);
    Cli.Result topics = Cli.run("topics", "list", "-b", bootstrap);
    assertFalse(topics.out().contains(typo), "a typo must not make a topic: " + topics);
  }

  @Test
  void withAcksZeroNothingIsCalledAcknowledged() {
    String topic = Topics.create(bootstrap, 3);

    Cli.Result result =
        Cli.run("producer", "-b", bootstrap, "-t", topic, "--acks", "0", "--count", "3");

    assertEquals(0, result.exitCode(), result::toString);
    assertEquals(3, result.outLines().size(), result::toString);
    for (String line : result.outLines()) {
      assertTrue(line.startsWith("sent " + topic + "-"), line);
      assertTrue(line.endsWith("(acks=0: not confirmed)"), line);
      assertFalse(line.contains("@"), "no offset, least of all -1: " + line);
    }
    assertTrue(
        result.err().contains("the broker acknowledges nothing with acks=0"), result::toString);
    assertFalse(result.err().contains("acknowledged,"), result::toString);
  }

  @Test
  void controlCharactersInAUserIdAreEscapedSoOneEventIsOneLine() throws IOException {
    String topic = Topics.create(bootstrap, 1);
    // ESC and a newline in the user id, as JSON escapes them; escaped the same way when printed
    String evil = "evil\\u001b[31m\\nuser";
    String event =
        new String(EventJson.toBytes(new EventGenerator(1).next()), StandardCharsets.UTF_8)
            .replace("\"user-1\"", "\"" + evil + "\"");
    Path input = Files.writeString(dir.resolve("evil.jsonl"), event + "\n");

    Cli.Result produced =
        Cli.run("producer", "-b", bootstrap, "-t", topic, "--input", input.toString());
    Cli.Result consumed =
        Cli.consumer(
            bootstrap, topic, Names.unique("g"), "--from-beginning", "--max-messages", "1");

    assertEquals(0, produced.exitCode(), produced::toString);
    assertEquals(1, produced.outLines().size(), produced::toString);
    assertTrue(produced.out().contains("key=" + evil + " type="), produced::toString);
    assertFalse(produced.out().contains("\u001b"), "no raw ESC: " + produced);
    assertEquals(0, consumed.exitCode(), consumed::toString);
    assertEquals(1, consumed.outLines().size(), consumed::toString);
    assertTrue(consumed.out().contains("key=" + evil + " "), consumed::toString);
  }

  @Test
  void aByteOrderMarkBeforeTheFirstEventIsNotSent() throws IOException {
    String topic = Topics.create(bootstrap, 1);
    byte[] event = EventJson.toBytes(new EventGenerator(1).next());
    Path input = dir.resolve("bom.jsonl");
    Files.write(input, concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, event));

    Cli.Result result =
        Cli.run("producer", "-b", bootstrap, "-t", topic, "--input", input.toString());

    assertEquals(0, result.exitCode(), result::toString);
    assertEquals(
        List.of(new String(event, StandardCharsets.UTF_8)),
        RawRecords.readAll(bootstrap, topic).stream()
            .map(r -> new String(r.value(), StandardCharsets.UTF_8))
            .toList());
  }

  @Test
  void inputWithoutAValidEventCreatesNoTopic() throws IOException {
    String topic = Names.unique("never");
    Path invalid = Files.writeString(dir.resolve("invalid.jsonl"), "{}\n");

    Cli.Result allInvalid =
        Cli.run("producer", "-b", bootstrap, "-t", topic, "--input", invalid.toString());
    Cli.Result directory =
        Cli.run("producer", "-b", bootstrap, "-t", topic, "--input", dir.toString());

    assertEquals(1, allInvalid.exitCode(), allInvalid::toString);
    assertEquals(2, directory.exitCode(), directory::toString);
    assertFalse(
        Cli.run("topics", "list", "-b", bootstrap).out().contains(topic),
        "no topic for events that never came");
  }

  private static byte[] concat(byte[] first, byte[] second) {
    byte[] all = Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, all, first.length, second.length);
    return all;
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
