package dev.kafkademo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kafkademo.support.Cli;
import java.io.File;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.ComposeContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The README's Docker path: {@code docker-compose up -d}, then the jar against localhost:9092 with
 * its default address. Needs Docker (and ports 9092, 2181, 8080, 8081 free); skipped without it.
 */
@Testcontainers(disabledWithoutDocker = true)
class ComposeStackIT extends RoundTripContract {
  @Container
  static final ComposeContainer STACK =
      new ComposeContainer(new File("docker-compose.yml"))
          .withLocalCompose(true)
          .waitingFor("kafka", Wait.forHealthcheck())
          .waitingFor("schema-registry", Wait.forHealthcheck())
          .waitingFor("kafka-ui", Wait.forHealthcheck());

  @Override
  protected String bootstrapServers() {
    return Defaults.BOOTSTRAP_SERVERS;
  }

  @Test
  void theStackCreatedUserEventsWithThreePartitionsAndTheDefaultsReachIt() throws Exception {
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, Defaults.BOOTSTRAP_SERVERS))) {
      TopicDescription topic =
          admin.describeTopics(List.of(Defaults.TOPIC)).allTopicNames().get().get(Defaults.TOPIC);
      assertEquals(3, topic.partitions().size());
    }
    Cli.Result produced = Cli.run("producer", "--quiet");
    assertEquals(0, produced.exitCode(), produced::toString);
  }

  /** Confluent's registry at its default address: the producer's and consumer's default too. */
  @Test
  void avroEventsGoThroughTheStacksSchemaRegistry() {
    String topic = "compose-avro";
    Cli.Result produced =
        Cli.run("producer", "-t", topic, "--value-format", "avro", "--count", "5", "--quiet");
    assertEquals(0, produced.exitCode(), produced::toString);
    Cli.Result consumed =
        Cli.run(
            "consumer",
            "-t",
            topic,
            "--group",
            "compose-avro",
            "--from-beginning",
            "--max-messages",
            "5");
    assertEquals(0, consumed.exitCode(), consumed::toString);
    assertTrue(consumed.err().contains("Processed 5 events"), consumed::toString);
    Cli.Result subjects = Cli.run("schemas", "list");
    assertTrue(subjects.out().contains(topic + "-value"), subjects::toString);
  }
}
