package dev.kafkademo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kafkademo.events.EventGenerator;
import dev.kafkademo.events.EventJson;
import dev.kafkademo.kafka.consume.DeadLetterQueue;
import dev.kafkademo.support.Cli;
import dev.kafkademo.support.Names;
import dev.kafkademo.support.RawRecords;
import dev.kafkademo.support.TestBroker;
import dev.kafkademo.support.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the consumer and producer do with data that is not a valid event. */
class InvalidRecordsIT {
  private static final byte[] KEY = "user-9".getBytes(StandardCharsets.UTF_8);
  private final String bootstrap = TestBroker.bootstrapServers();
  private final EventGenerator generator = new EventGenerator(3);

  @TempDir Path dir;

  @Test
  void onErrorFailStopsAtTheBadRecordCommittedUpToButNotPastIt() {
    String topic = Topics.create(bootstrap, 1);
    String group = Names.unique("group");
    RawRecords.send(
        bootstrap, List.of(valid(topic), valid(topic), raw(topic, "{broken"), valid(topic)));

    Cli.Result failed =
        Cli.consumer(
            bootstrap,
            topic,
            group,
            "--from-beginning",
            "--on-error",
            "fail",
            "--idle-timeout",
            "5s",
            "--format",
            "json");

    assertEquals(1, failed.exitCode(), failed::toString);
    assertEquals(2, failed.outLines().size(), "the two events before it: " + failed);
    assertTrue(
        failed.err().contains("stopped at " + topic + "-0@2: not valid JSON"), failed::toString);
    assertTrue(
        failed.err().contains("error: Stopped at " + topic + "-0@2: not valid JSON"),
        failed::toString);
    assertEquals(
        2,
        RawRecords.committed(bootstrap, group).get(new TopicPartition(topic, 0)).offset(),
        "committed up to it");

    Cli.Result fixed =
        Cli.consumer(
            bootstrap,
            topic,
            group,
            "--on-error",
            "skip",
            "--idle-timeout",
            "3s",
            "--format",
            "json");

    assertEquals(0, fixed.exitCode(), fixed::toString);
    assertTrue(
        fixed.err().startsWith("Assigned partitions")
            && fixed.err().contains("skipped " + topic + "-0@2"),
        "starts at the bad record: " + fixed);
    assertEquals(1, fixed.outLines().size(), "then the event after it: " + fixed);
  }

  @Test
  void onErrorFailOnTheGroupsVeryFirstRecordPinsTheGroupThereForTheRerun() {
    String topic = Topics.create(bootstrap, 1);
    String group = Names.unique("group");
    RawRecords.send(bootstrap, List.of(raw(topic, "{broken"), valid(topic), valid(topic)));

    Cli.Result failed =
        Cli.consumer(
            bootstrap,
            topic,
            group,
            "--from-beginning",
            "--on-error",
            "fail",
            "--idle-timeout",
            "5s");
    assertEquals(1, failed.exitCode(), failed::toString);
    assertEquals(
        0,
        RawRecords.committed(bootstrap, group).get(new TopicPartition(topic, 0)).offset(),
        "the bad record's own offset is committed: " + failed);

    // Without --from-beginning: a group without offsets would start at the end and skip all three.
    Cli.Result rerun =
        Cli.consumer(bootstrap, topic, group, "--on-error", "skip", "--idle-timeout", "3s");

    assertEquals(0, rerun.exitCode(), rerun::toString);
    assertTrue(rerun.err().contains("skipped " + topic + "-0@0: not valid JSON"), rerun::toString);
    assertEquals(2, rerun.outLines().size(), "the valid events after it: " + rerun);
  }

  @Test
  void onErrorDlqForwardsTheRawRecordWithItsHeadersAndWhyThenCommits() {
    String topic = Topics.create(bootstrap, 1);
    String group = Names.unique("group");
    ProducerRecord<byte[], byte[]> poison = raw(topic, "not an event");
    poison.headers().add("trace-id", "abc-123".getBytes(StandardCharsets.UTF_8));
    ProducerRecord<byte[], byte[]> empty =
        new ProducerRecord<>(topic, null, KEY, new byte[0], new RecordHeaders());
    RawRecords.send(bootstrap, List.of(valid(topic), poison, valid(topic), empty));

    Cli.Result consumed =
        Cli.consumer(
            bootstrap,
            topic,
            group,
            "--from-beginning",
            "--on-error",
            "dlq",
            "--idle-timeout",
            "3s",
            "--format",
            "none");

    assertEquals(0, consumed.exitCode(), consumed::toString);
    assertTrue(consumed.err().contains("sent 2 to " + topic + ".dlq"), consumed::toString);
    assertTrue(
        consumed.err().contains("sent to the dead-letter topic: " + topic + "-0@1: not valid JSON"),
        consumed::toString);
    assertEquals(
        4, RawRecords.committed(bootstrap, group).get(new TopicPartition(topic, 0)).offset());

    List<ConsumerRecord<byte[], byte[]>> dead = RawRecords.readAll(bootstrap, topic + ".dlq");
    assertEquals(2, dead.size());
    ConsumerRecord<byte[], byte[]> first = dead.get(0);
    assertArrayEquals(KEY, first.key());
    assertArrayEquals("not an event".getBytes(StandardCharsets.UTF_8), first.value());
    assertEquals("abc-123", header(first, "trace-id"), "original headers kept");
    assertTrue(header(first, DeadLetterQueue.ERROR_HEADER).startsWith("not valid JSON"));
    assertEquals(topic, header(first, DeadLetterQueue.SOURCE_TOPIC_HEADER));
    assertEquals("0", header(first, DeadLetterQueue.SOURCE_PARTITION_HEADER));
    assertEquals("1", header(first, DeadLetterQueue.SOURCE_OFFSET_HEADER));
    assertEquals(0, dead.get(1).value().length, "the empty value, as it was");
    assertEquals("3", header(dead.get(1), DeadLetterQueue.SOURCE_OFFSET_HEADER));
    assertEquals("empty value", header(dead.get(1), DeadLetterQueue.ERROR_HEADER));
  }

  @Test
  void onInvalidFailStopsTheInputAtTheFirstBadLineWhileSkipSendsTheRest() throws IOException {
    Path input = dir.resolve("events.jsonl");
    Files.writeString(input, json() + "\n" + "{\"eventId\":1}\n" + json() + "\n");

    String skipTopic = Topics.create(bootstrap, 1);
    Cli.Result skip =
        Cli.run("producer", "-b", bootstrap, "--topic", skipTopic, "--input", input.toString());
    String failTopic = Topics.create(bootstrap, 1);
    Cli.Result fail =
        Cli.run(
            "producer",
            "-b",
            bootstrap,
            "--topic",
            failTopic,
            "--input",
            input.toString(),
            "--on-invalid",
            "fail");

    assertEquals(1, skip.exitCode(), skip::toString);
    assertEquals(2, RawRecords.totalRecords(bootstrap, skipTopic), "the rest was sent");
    assertEquals(1, fail.exitCode(), fail::toString);
    assertEquals(1, RawRecords.totalRecords(bootstrap, failTopic), "nothing after the bad line");
    assertTrue(
        fail.err().contains("rejected " + input + " line 2: field eventId must be a string"),
        fail::toString);
    assertTrue(
        fail.err().contains("nor anything after the first (--on-error fail)"), fail::toString);
  }

  private ProducerRecord<byte[], byte[]> valid(String topic) {
    return new ProducerRecord<>(topic, KEY, EventJson.toBytes(generator.next()));
  }

  private static ProducerRecord<byte[], byte[]> raw(String topic, String value) {
    return new ProducerRecord<>(
        topic, null, KEY, value.getBytes(StandardCharsets.UTF_8), new RecordHeaders());
  }

  private String json() {
    return new String(EventJson.toBytes(generator.next()), StandardCharsets.UTF_8);
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    var header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }
}
