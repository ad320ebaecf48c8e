package dev.kafkademo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kafkademo.support.Cli;
import dev.kafkademo.support.JarProcess;
import dev.kafkademo.support.Names;
import dev.kafkademo.support.RawRecords;
import dev.kafkademo.support.TestBroker;
import dev.kafkademo.support.Topics;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands' stdout read through a real pipe by a reader that takes a few lines and closes it,
 * as {@code | head -3} does: nothing that nobody read may count as done.
 */
class OutputPipeIT {
  private final String bootstrap = TestBroker.bootstrapServers();

  @TempDir Path dir;

  @Test
  void aConsumerWhoseReaderLeavesStopsAndCommitsNothingItDidNotWrite() throws Exception {
    String topic = Topics.create(bootstrap, 3);
    String group = Names.unique("piped");
    assertEquals(
        0, Cli.run("producer", "-b", bootstrap, "-t", topic, "-n", "1000", "-q").exitCode());

    Piped consumer =
        readThenClose(
            3,
            "consumer",
            "-b",
            bootstrap,
            "-t",
            topic,
            "-g",
            group,
            "--from-beginning",
            "--format",
            "json");

    assertEquals(141, consumer.exitCode(), consumer::toString);
    assertEquals(3, consumer.lines().size(), consumer::toString);
    assertTrue(consumer.err().contains("Stopped early: stdout was closed"), consumer::toString);
    Map<TopicPartition, OffsetAndMetadata> committed = RawRecords.committed(bootstrap, group);
    long committedTotal = committed.values().stream().mapToLong(OffsetAndMetadata::offset).sum();
    assertTrue(committedTotal < 1000, "not all 1,000 committed: " + committed);
    assertFalse(committed.isEmpty(), "partitions it read are pinned where it began: " + consumer);

    // The same group reads again every event the pipe did not take: from its committed offsets,
    // and from the start of any partition it had not fetched from yet.
    JarProcess again =
        JarProcess.start(
            "consumer",
            "-b",
            bootstrap,
            "-t",
            topic,
            "-g",
            group,
            "--from-beginning",
            "--idle-timeout",
            "3s",
            "--format",
            "none");
    assertEquals(0, again.waitFor(60), again::toString);
    assertTrue(
        again
            .err()
            .contains("Processed " + String.format("%,d", 1000 - committedTotal) + " events"),
        again::toString);
  }

  @Test
  void aProducerWhoseReaderLeavesStopsSendingAndCountsExactly() throws Exception {
    String topic = Topics.create(bootstrap, 3);

    Piped producer =
        readThenClose(1, "producer", "-b", bootstrap, "-t", topic, "--count", "100000");

    assertEquals(141, producer.exitCode(), producer::toString);
    Matcher summary =
        Pattern.compile(
                "Stopped early, stdout was closed: sent ([\\d,]+) events to \\S+: ([\\d,]+)"
                    + " acknowledged, 0 failed")
            .matcher(producer.err());
    assertTrue(summary.find(), producer::toString);
    long sent = Long.parseLong(summary.group(1).replace(",", ""));
    assertEquals(summary.group(1), summary.group(2), "all that was sent was acknowledged");
    assertTrue(sent < 100_000, "it stopped sending: " + producer);
    assertEquals(sent, RawRecords.totalRecords(bootstrap, topic), "the counts are exact");
  }

  /** What a piped run printed, and its exit code. */
  record Piped(int exitCode, List<String> lines, String err) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- read from stdout\n" + lines + "\n--- stderr\n" + err;
    }
  }

  /** Starts the jar with stdout to a pipe, reads {@code lines} lines, closes the pipe. */
  private Piped readThenClose(int lines, String... args) throws Exception {
    Path stderr = dir.resolve("stderr-" + System.nanoTime());
    Process process =
        new ProcessBuilder(JarProcess.command(args)).redirectError(stderr.toFile()).start();
    List<String> read = new ArrayList<>();
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while (read.size() < lines && (line = out.readLine()) != null) {
        read.add(line);
      }
    } // closing our end: the process's next write fails, as with a reader that exited
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("still running 60 s after its reader left: " + read);
    }
    return new Piped(process.exitValue(), read, Files.readString(stderr));
  }
}
