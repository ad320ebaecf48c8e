package dev.kafkademo.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kafkademo.support.Cli;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedBrokerIT {
  @TempDir Path dataDir;

  @Test
  void eventsInADataDirSurviveARestart() throws Exception {
    try (EmbeddedBroker first =
        EmbeddedBroker.start(
            EmbeddedBroker.Settings.ephemeral().withDataDir(dataDir).withDefaultPartitions(2))) {
      Cli.Result produced =
          Cli.run("producer", "-b", first.bootstrapServers(), "--count", "12", "--quiet");
      assertEquals(0, produced.exitCode(), produced::toString);
      assertTrue(
          produced.err().contains("Created topic user-events with 2 partitions"),
          "created with the broker's defaults, as auto-creation would: " + produced);
    }
    try (EmbeddedBroker second =
        EmbeddedBroker.start(
            EmbeddedBroker.Settings.ephemeral().withDataDir(dataDir).withDefaultPartitions(2))) {
      Cli.Result consumed =
          Cli.run(
              "consumer",
              "-b",
              second.bootstrapServers(),
              "--group",
              "after-restart",
              "--from-beginning",
              "--max-messages",
              "12",
              "--format",
              "none");

      assertEquals(0, consumed.exitCode(), consumed::toString);
      assertTrue(consumed.err().contains("Processed 12 events"), consumed::toString);
      assertTrue(
          consumed.err().contains("Assigned partitions: user-events-0, user-events-1\n"),
          "two partitions, as asked: " + consumed);
    }
    assertTrue(dataDir.resolve("meta.properties").toFile().isFile(), "a given data dir is kept");
  }

  @Test
  void withoutAutoCreationTheProducerSaysTheTopicIsMissingInOneLine() throws Exception {
    try (EmbeddedBroker broker =
        EmbeddedBroker.start(
            EmbeddedBroker.Settings.ephemeral()
                .withDefaultPartitions(1)
                .withAutoCreateTopics(false))) {
      Cli.Result produced =
          Cli.run("producer", "-b", broker.bootstrapServers(), "--topic", "nowhere");

      assertEquals(1, produced.exitCode(), produced::toString);
      assertEquals("", produced.out());
      assertEquals(
          "error: Topic nowhere does not exist and the broker does not create topics automatically:"
              + " create it first (kafka-demo topics create nowhere) or check --topic",
          produced.err().strip());
    }
  }
}
