package dev.kafkademo;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kafkademo.support.Cli;
import dev.kafkademo.support.JarProcess;
import dev.kafkademo.support.Names;
import dev.kafkademo.support.Ports;
import dev.kafkademo.support.RawRecords;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 3-node cluster from the jar ({@code cluster start}), shared by the class: each node a broker
 * process of its own, so one can be SIGKILLed or stopped while clients run. Each test starts from a
 * healthy cluster and leaves one behind; the last stops it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern DELIVERED = Pattern.compile("delivered (.+)-(\\d+)@(\\d+) ");

  @TempDir static Path dataDir;
  private static int firstPort;
  private static int firstMetricsPort;
  private static String bootstrap;

  @BeforeAll
  static void startCluster() throws InterruptedException {
    firstPort = freeRange(3);
    do {
      firstMetricsPort = freeRange(3);
    } while (Math.abs(firstMetricsPort - firstPort) < 3);
    JarProcess start =
        JarProcess.start(
            "cluster",
            "start",
            "--nodes",
            "3",
            "--port",
            "" + firstPort,
            "--metrics-port",
            "" + firstMetricsPort,
            "--data-dir",
            dataDir.toString());
    assertEquals(0, start.waitFor(240), start::toString);
    bootstrap = start.out().strip();
    assertEquals(
        "localhost:"
            + firstPort
            + ",localhost:"
            + (firstPort + 1)
            + ",localhost:"
            + (firstPort + 2),
        bootstrap);
    assertTrue(
        start.err().contains("New topics get 3 replicas and min.insync.replicas 2"),
        start::toString);
  }

  @AfterAll
  static void leaveNothingRunning() throws InterruptedException {
    // Normally the last test has stopped it; after a failure, this does.
    cluster("stop");
    nodeProcesses().forEach(ProcessHandle::destroyForcibly);
  }

  /** Whatever an earlier test left down is started again, and the partitions are in sync. */
  @BeforeEach
  void healthy() throws InterruptedException {
    for (String line : cluster("status").out().lines().toList()) {
      Matcher down = Pattern.compile("(\\d+)\\s+\\S+\\s+down\\s.*").matcher(line);
      if (down.matches()) {
        startNode(Integer.parseInt(down.group(1)));
      }
    }
    awaitHealthy();
  }

  @Test
  @Order(1)
  void aProducerWithAcksAllRidesThroughANodeKilledAndBroughtBackAndWritesEachEventOnce()
      throws Exception {
    String topic = createTopic(3);
    assertEquals(3, describe(topic).partitions().get(0).replicas().size(), "3 replicas by default");
    CompletableFuture<Cli.Result> producing =
        CompletableFuture.supplyAsync(
            () ->
                Cli.run(
                    "producer",
                    "-b",
                    bootstrap,
                    "--topic",
                    topic,
                    "--count",
                    "100000",
                    "--rate",
                    "10000",
                    "--quiet"));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> RawRecords.totalRecords(bootstrap, topic) >= 20_000);
    int victim = describe(topic).partitions().get(0).leader().id();

    assertEquals(0, cluster("kill", "" + victim).exitCode());
    assertTrue(
        cluster("status")
            .out()
            .lines()
            .anyMatch(line -> line.matches(victim + "\\s.*\\sdown\\s.*")),
        "status shows the node down");
    await()
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .until(() -> describe(topic).partitions().get(0).leader().id() != victim);
    startNode(victim);
    Cli.Result produced = producing.get(180, TimeUnit.SECONDS);

    assertEquals(0, produced.exitCode(), produced::toString);
    assertTrue(
        produced
            .err()
            .contains("Sent 100,000 events to " + topic + ": 100,000 acknowledged, 0 failed"),
        produced::toString);
    List<ConsumerRecord<byte[], byte[]>> records = RawRecords.readAll(bootstrap, topic);
    assertEquals(100_000, RawRecords.eventIds(records).size(), "every event is there");
    assertEquals(100_000, records.size(), "and none twice");
  }

  @Test
  @Order(2)
  void aConsumerGroupReadsEverythingWhileTheLeaderOfItsPartitionDies() throws Exception {
    String topic = createTopic(1);
    Cli.Result produced =
        Cli.run("producer", "-b", bootstrap, "--topic", topic, "--count", "100000", "--quiet");
    assertEquals(0, produced.exitCode(), produced::toString);
    String group = Names.unique("group");
    // Small fetches, so that the read takes long enough to lose its leader halfway.
    JarProcess consuming =
        JarProcess.start(
            "consumer",
            "-b",
            bootstrap,
            "--topic",
            topic,
            "--group",
            group,
            "--from-beginning",
            "--max-messages",
            "100000",
            "--format",
            "value",
            "-X",
            "max.partition.fetch.bytes=2048",
            "-X",
            "fetch.max.bytes=2048");
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> consuming.outLines().size() >= 10_000);
      int leader = describe(topic).partitions().get(0).leader().id();
      assertTrue(consuming.alive(), "still reading when its leader dies");
      assertEquals(0, cluster("kill", "" + leader).exitCode());
      int exit = consuming.waitFor(240);

      assertEquals(0, exit, consuming::toString);
      Set<String> ids = new HashSet<>();
      for (String line : consuming.outLines()) {
        ids.add(JSON.readTree(line).path("eventId").asText());
      }
      assertEquals(100_000, ids.size(), "each event read");
      Map<TopicPartition, OffsetAndMetadata> committed = RawRecords.committed(bootstrap, group);
      assertEquals(100_000, committed.get(new TopicPartition(topic, 0)).offset(), "and committed");
    } finally {
      consuming.close();
    }
  }

  @Test
  @Order(3)
  void withTwoNodesDownAcksAllWritesAreRefusedInOneLineAndNothingAcknowledgedIsLost()
      throws Exception {
    String topic = createTopic(3);
    // A SIGKILLed node leaves the in-sync replicas once the controllers fence it; the second node
    // is stopped cleanly, which takes it out of them at once. Stopped the other way round, the
    // controllers would have lost their majority first and could change nothing.
    assertEquals(0, cluster("kill", "3").exitCode());
    await()
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .until(() -> describe(topic).partitions().stream().allMatch(p -> p.isr().size() == 2));
    JarProcess producing =
        JarProcess.start(
            "producer",
            "-b",
            bootstrap,
            "--topic",
            topic,
            "--count",
            "3000",
            "--rate",
            "100",
            "-X",
            "delivery.timeout.ms=15000",
            "-X",
            "request.timeout.ms=5000");
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> RawRecords.totalRecords(bootstrap, topic) >= 200);
      assertEquals(0, cluster("stop", "2").exitCode());
      int exit = producing.waitFor(120);

      assertEquals(1, exit, producing::toString);
      List<String> refusals =
          producing
              .err()
              .lines()
              .filter(line -> line.startsWith("error: NotEnoughReplicas"))
              .toList();
      assertEquals(1, refusals.size(), producing::toString);
      assertTrue(
          refusals.get(0).startsWith("error: NotEnoughReplicas: partitions 0, 1, 2 of " + topic),
          refusals.get(0));
      List<String> delivered = new ArrayList<>();
      for (String line : producing.outLines()) {
        Matcher m = DELIVERED.matcher(line);
        if (m.lookingAt()) {
          delivered.add(m.group(2) + "@" + m.group(3));
        }
      }
      assertTrue(delivered.size() >= 200, "some were acknowledged before: " + delivered.size());
      Cli.Result doctor = Cli.run("doctor", "-b", bootstrap, "--topic", topic);
      assertTrue(
          doctor.outLines().stream()
              .anyMatch(
                  line ->
                      line.matches("FAIL\\s+replication\\s+.*under-replicated partition.*")
                          && line.contains(topic + "-0")
                          && line.contains("refuse acks=all writes")),
          doctor::toString);
      assertTrue(
          producing.err().contains(": " + String.format("%,d", delivered.size()) + " acknowledged"),
          producing::toString);

      startNode(3);
      startNode(2);
      awaitHealthy();
      Set<String> stored = new HashSet<>();
      for (ConsumerRecord<byte[], byte[]> record : RawRecords.readAll(bootstrap, topic)) {
        stored.add(record.partition() + "@" + record.offset());
      }
      assertTrue(stored.containsAll(delivered), "every acknowledged event is in the topic");
    } finally {
      producing.close();
    }
  }

  /**
   * Debian's Prometheus server with monitoring/prometheus.yml and alerts.yml as they are, its
   * target list pointed at this cluster's metrics ports, sees the partitions under-replicated while
   * a node is down and not after it is back.
   */
  @Test
  @Order(4)
  void prometheusSeesUnderReplicatedPartitionsWhileANodeIsDownAndNoneAfter(@TempDir Path work)
      throws Exception {
    Path prometheus = Path.of("/usr/bin/prometheus");
    assumeTrue(Files.isExecutable(prometheus), "Debian's prometheus package is not installed");
    Files.copy(Path.of("monitoring/prometheus.yml"), work.resolve("prometheus.yml"));
    Files.copy(Path.of("monitoring/alerts.yml"), work.resolve("alerts.yml"));
    Files.createDirectories(work.resolve("targets"));
    Files.writeString(
        work.resolve("targets/kafka-brokers.json"),
        "[{\"targets\": [\"127.0.0.1:"
            + firstMetricsPort
            + "\", \"127.0.0.1:"
            + (firstMetricsPort + 1)
            + "\", \"127.0.0.1:"
            + (firstMetricsPort + 2)
            + "\"]}]");
    int webPort = Ports.free();
    Process server =
        new ProcessBuilder(
                prometheus.toString(),
                "--config.file=" + work.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + work.resolve("data"),
                "--web.listen-address=127.0.0.1:" + webPort)
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("prometheus.log").toFile())
            .start();
    try {
      createTopic(3);
      String underReplicated = "sum(kafka_server_replicamanager_underreplicatedpartitions)";
      String scraped = "count(kafka_server_replicamanager_underreplicatedpartitions)";
      await()
          .atMost(Duration.ofSeconds(90))
          .ignoreExceptions()
          .until(() -> query(webPort, scraped) == 3 && query(webPort, underReplicated) == 0);

      assertEquals(0, cluster("kill", "2").exitCode());
      await()
          .atMost(Duration.ofSeconds(90))
          .ignoreExceptions()
          .until(() -> query(webPort, underReplicated) > 0);
      startNode(2);
      await()
          .atMost(Duration.ofSeconds(120))
          .ignoreExceptions()
          .until(() -> query(webPort, scraped) == 3 && query(webPort, underReplicated) == 0);
    } finally {
      server.destroy();
      server.waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  @Order(Integer.MAX_VALUE)
  void stopLeavesNoProcessBehind() throws InterruptedException {
    assertEquals(3, nodeProcesses().size(), "three node processes run");
    JarProcess stop = JarProcess.start("cluster", "stop", "--data-dir", dataDir.toString());

    assertEquals(0, stop.waitFor(180), stop::toString);
    assertTrue(stop.err().contains("Stopped nodes 1, 2, 3"), stop::toString);
    assertEquals(List.of(), nodeProcesses(), "no node process is left");
    Cli.Result status = cluster("status");
    assertEquals(1, status.exitCode(), status::toString);
    assertTrue(status.out().contains("Every node is down"), status::toString);
  }

  // --- helpers ---

  private static Cli.Result cluster(String... args) {
    List<String> command = new ArrayList<>(List.of("cluster"));
    command.addAll(List.of(args));
    command.addAll(List.of("--data-dir", dataDir.toString()));
    return Cli.run(command.toArray(String[]::new));
  }

  /**
   * {@code cluster start-node} from the jar, as a user runs it: it starts the node with the java
   * and class path of the command that starts it.
   */
  private static void startNode(int node) throws InterruptedException {
    JarProcess start =
        JarProcess.start("cluster", "start-node", "" + node, "--data-dir", dataDir.toString());
    assertEquals(0, start.waitFor(240), start::toString);
  }

  /** Every node up and every partition fully in sync, as `cluster status` says with exit 0. */
  private static void awaitHealthy() {
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> cluster("status").exitCode() == 0);
  }

  private static List<ProcessHandle> nodeProcesses() {
    String dir = dataDir.toString();
    return ProcessHandle.allProcesses()
        .filter(
            p -> p.info().commandLine().map(line -> line.contains(dir + "/node-")).orElse(false))
        .toList();
  }

  private static String createTopic(int partitions) {
    String topic = Names.unique("replicated");
    Cli.Result created =
        Cli.run("topics", "create", topic, "--partitions", "" + partitions, "-b", bootstrap);
    assertEquals(0, created.exitCode(), created::toString);
    return topic;
  }

  private static TopicDescription describe(String topic)
      throws InterruptedException, ExecutionException {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      TopicDescription description =
          admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
      for (TopicPartitionInfo partition : description.partitions()) {
        if (partition.leader() == null || partition.leader().isEmpty()) {
          throw new IllegalStateException("partition " + partition.partition() + " has no leader");
        }
      }
      return description;
    }
  }

  /** A single number from Prometheus' HTTP API; -1 when the query has no result yet. */
  private static double query(int port, String expression)
      throws IOException, InterruptedException {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:"
                                + port
                                + "/api/v1/query?query="
                                + URLEncoder.encode(expression, StandardCharsets.UTF_8)))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    JsonNode result = JSON.readTree(response.body()).at("/data/result");
    return result.isEmpty() ? -1 : result.get(0).at("/value/1").asDouble();
  }

  /** The first of {@code count} consecutive free ports. */
  private static int freeRange(int count) {
    while (true) {
      int first = ThreadLocalRandom.current().nextInt(20_000, 40_000);
      boolean free = true;
      for (int port = first; port < first + count && free; port++) {
        try (var socket =
            new java.net.ServerSocket(port, 0, java.net.InetAddress.getLoopbackAddress())) {
          socket.setReuseAddress(true);
        } catch (IOException e) {
          free = false;
        }
      }
      if (free) {
        return first;
      }
    }
  }
}
