package dev.kafkademo;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kafkademo.events.EventJson;
import dev.kafkademo.support.Cli;
import dev.kafkademo.support.JarProcess;
import dev.kafkademo.support.Names;
import dev.kafkademo.support.RawRecords;
import dev.kafkademo.support.TestBroker;
import dev.kafkademo.support.Topics;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * Consumers as separate processes in one group: killed without warning, joined and left. Events are
 * counted by eventId and placed by partition and offset.
 */
class ConsumerGroupsIT {
  private final String bootstrap = TestBroker.bootstrapServers();

  /** One line of --format json output. */
  record Read(String eventId, int partition, long offset) {}

  @Test
  void afterSigkillARestartLosesNothingAndRereadsOnlyTheUncommittedTail() throws Exception {
    String topic = Topics.create(bootstrap, 3);
    String group = Names.unique("group");
    produce(topic, 3000);

    // A killed member stays in the group until its session times out: keep that short (the
    // broker's minimum), so the restarted consumer is not kept waiting for 45 s.
    JarProcess killed = consumer(topic, group, "-X", "session.timeout.ms=6000");
    await().atMost(Duration.ofSeconds(60)).until(() -> killed.outLines().size() >= 1000);
    Runtime.getRuntime()
        .exec(new String[] {"kill", "-KILL", Long.toString(killed.pid())})
        .waitFor(10, TimeUnit.SECONDS);
    killed.waitFor(30);
    Map<TopicPartition, OffsetAndMetadata> committed = RawRecords.committed(bootstrap, group);

    JarProcess restarted = consumer(topic, group, "--idle-timeout", "10s");
    assertEquals(0, restarted.waitFor(60), restarted::toString);

    List<Read> before = reads(killed);
    List<Read> after = reads(restarted);
    Set<String> all = new HashSet<>();
    before.forEach(r -> all.add(r.eventId()));
    after.forEach(r -> all.add(r.eventId()));
    assertEquals(3000, all.size(), "no event lost");
    for (Read read : after) {
      assertTrue(
          read.offset() >= committedOffset(committed, topic, read.partition()),
          "only the uncommitted tail is read again, nothing committed: " + read);
    }
    for (int partition = 0; partition < 3; partition++) {
      int p = partition;
      long firstAfter =
          after.stream()
              .filter(r -> r.partition() == p)
              .mapToLong(Read::offset)
              .min()
              .orElse(Long.MAX_VALUE);
      long committedOffset = committedOffset(committed, topic, p);
      assertTrue(
          firstAfter == committedOffset || firstAfter == Long.MAX_VALUE,
          "partition " + p + " resumes at its committed offset");
    }
  }

  @Test
  void twoConsumersShareThePartitionsAndARebalanceLosesOrRepeatsNothing() throws Exception {
    String topic = Topics.create(bootstrap, 3);
    String group = Names.unique("group");
    produce(topic, 300);

    JarProcess first = consumer(topic, group);
    await().atMost(Duration.ofSeconds(60)).until(() -> first.outLines().size() == 300);
    JarProcess second = consumer(topic, group, "--idle-timeout", "20s");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> assignments(first) >= 2 && assignments(second) >= 1);
    produce(topic, 300);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> first.outLines().size() + second.outLines().size() == 600);
    assertEquals(143, first.terminate(30), first::toString);
    await().atMost(Duration.ofSeconds(60)).until(() -> assignments(second) >= 2);
    produce(topic, 300);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> first.outLines().size() + second.outLines().size() == 900);
    assertEquals(143, second.terminate(30), second::toString);

    List<String> ids = new ArrayList<>();
    reads(first).forEach(r -> ids.add(r.eventId()));
    reads(second).forEach(r -> ids.add(r.eventId()));
    assertEquals(900, ids.size(), "read once each");
    assertEquals(900, new HashSet<>(ids).size(), "no duplicates across the rebalances");
    assertTrue(
        second
            .err()
            .contains("Assigned partitions: " + topic + "-0, " + topic + "-1, " + topic + "-2"),
        "the remaining consumer took every partition when the first left: " + second);
    assertTrue(reads(second).size() > 0 && reads(first).size() > 300, "both did part of the work");
  }

  @Test
  void instanceIdMakesAStaticMember() throws Exception {
    String topic = Topics.create(bootstrap, 1);
    String group = Names.unique("group");
    JarProcess member = consumer(topic, group, "--instance-id", "demo-instance-1");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> member.err().contains("Assigned partitions"));

    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      ConsumerGroupDescription description =
          admin.describeConsumerGroups(List.of(group)).all().get().get(group);
      List<String> instanceIds = new ArrayList<>();
      for (MemberDescription m : description.members()) {
        instanceIds.add(m.groupInstanceId().orElse(null));
      }
      assertEquals(List.of("demo-instance-1"), instanceIds);
    } finally {
      member.terminate(30);
    }
  }

  private void produce(String topic, int count) {
    Cli.Result produced =
        Cli.run("producer", "-b", bootstrap, "--topic", topic, "--count", "" + count, "--quiet");
    assertEquals(0, produced.exitCode(), produced::toString);
  }

  private JarProcess consumer(String topic, String group, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "consumer",
                "-b",
                bootstrap,
                "--topic",
                topic,
                "--group",
                group,
                "--from-beginning",
                "--format",
                "json"));
    args.addAll(List.of(more));
    return JarProcess.start(args.toArray(String[]::new));
  }

  private static long assignments(JarProcess consumer) {
    return consumer.err().lines().filter(l -> l.startsWith("Assigned partitions")).count();
  }

  private static long committedOffset(
      Map<TopicPartition, OffsetAndMetadata> committed, String topic, int partition) {
    OffsetAndMetadata offset = committed.get(new TopicPartition(topic, partition));
    return offset == null ? 0 : offset.offset();
  }

  /** Complete JSON lines only: a SIGKILL may cut the last one. */
  private static List<Read> reads(JarProcess consumer) {
    List<Read> reads = new ArrayList<>();
    for (String line : consumer.outLines()) {
      try {
        JsonNode node = EventJson.mapper().readTree(line);
        reads.add(
            new Read(
                node.at("/event/eventId").asText(),
                node.get("partition").asInt(),
                node.get("offset").asLong()));
      } catch (IOException e) {
        // a partial last line
      }
    }
    return reads;
  }
}
