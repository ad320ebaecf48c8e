package dev.kafkademo.compose;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kafkademo.Defaults;
import dev.kafkademo.support.ComposeStack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What can be checked of the Compose stacks without Docker: the files themselves. */
class ComposeFileTest {
  /** An exact release: 1.2.3, or 17.6 where the project numbers that way, maybe a variant after. */
  private static final Pattern PINNED =
      Pattern.compile("[^:]+:v?\\d+\\.\\d+(\\.\\d+)?([-_][A-Za-z0-9._-]+)?");

  private static final Set<String> ONE_SHOT = Set.of("kafka-init");

  private final ComposeFile single = ComposeFile.read("docker-compose.yml");
  private final ComposeFile cluster = ComposeFile.read("docker-compose.cluster.yml");

  @ParameterizedTest
  @ValueSource(strings = {"docker-compose.yml", "docker-compose.cluster.yml"})
  void everyImageIsPinnedToAnExactVersionWithoutBitnami(String file) {
    ComposeFile compose = ComposeFile.read(file);
    compose
        .services()
        .forEach(
            (name, service) -> {
              String image = service.path("image").asText();
              assertTrue(
                  PINNED.matcher(image).matches(),
                  file + ": " + name + " image " + image + " is not pinned");
              assertFalse(image.contains("bitnami"), image);
              assertFalse(image.endsWith(":latest"), image);
            });
    assertFalse(compose.root.has("version"), "no obsolete version: key");
  }

  @ParameterizedTest
  @ValueSource(strings = {"docker-compose.yml", "docker-compose.cluster.yml"})
  void longRunningServicesHaveHealthchecksRestartPoliciesAndWaitForHealthyDependencies(
      String file) {
    ComposeFile compose = ComposeFile.read(file);
    compose
        .services()
        .forEach(
            (name, service) -> {
              if (!ONE_SHOT.contains(name)) {
                assertTrue(service.has("healthcheck"), file + ": " + name + " has no healthcheck");
                assertEquals(
                    "unless-stopped", service.path("restart").asText(), file + ": " + name);
              }
              service
                  .path("depends_on")
                  .fields()
                  .forEachRemaining(
                      dependency ->
                          assertEquals(
                              "service_healthy",
                              dependency.getValue().path("condition").asText(),
                              file
                                  + ": "
                                  + name
                                  + " waits for "
                                  + dependency.getKey()
                                  + " to be healthy"));
            });
    for (String dependent : List.of("kafka-ui", "kafka-init")) {
      assertTrue(
          compose.service(dependent).has("depends_on"),
          file + ": " + dependent + " depends on the brokers");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"docker-compose.yml", "docker-compose.cluster.yml"})
  void dataLivesInDeclaredNamedVolumesAndOnlyReadOnlyConfigComesFromTheRepo(String file) {
    ComposeFile compose = ComposeFile.read(file);
    Set<String> declared = new TreeSet<>();
    compose.root.path("volumes").fieldNames().forEachRemaining(declared::add);
    Set<String> used = new TreeSet<>();
    compose
        .services()
        .forEach(
            (name, service) ->
                service
                    .path("volumes")
                    .forEach(
                        volume -> {
                          String spec = volume.asText();
                          String source = spec.split(":")[0];
                          if ((spec.startsWith("./monitoring/")
                                  || spec.startsWith("./ksql:")
                                  || spec.startsWith("./target/kafka-demo.jar:"))
                              && spec.endsWith(":ro")) {
                            return; // configuration or the jar, read-only: no data on the host
                          }
                          assertFalse(
                              source.startsWith(".")
                                  || source.startsWith("/")
                                  || source.startsWith("~"),
                              file + ": host path " + volume);
                          used.add(source);
                        }));
    assertEquals(declared, used, file + ": every named volume declared and used");
    for (String broker : compose.brokers()) {
      assertTrue(
          compose.service(broker).path("volumes").toString().contains(":/var/lib/kafka/data"),
          broker + " keeps its data in a volume");
    }
  }

  @Test
  void singleStackPublishesTheUsualPortsOnLoopbackOnly() {
    assertEquals(List.of("127.0.0.1:2181:2181"), single.ports("zookeeper"));
    assertEquals(List.of("127.0.0.1:9092:9092"), single.ports("kafka"));
    assertEquals(List.of("127.0.0.1:8080:8080"), single.ports("kafka-ui"));
    assertEquals(
        "kafka",
        single.service("kafka").path("container_name").asText(),
        "so docker exec -it kafka works");
  }

  @ParameterizedTest
  @ValueSource(strings = {"docker-compose.yml", "docker-compose.cluster.yml"})
  void advertisedListenersMatchTheListenersAndWhatClientsCanReach(String file) {
    ComposeFile compose = ComposeFile.read(file);
    List<String> hostAddresses = new ArrayList<>();
    for (String broker : compose.brokers()) {
      Map<String, String> listeners = ComposeFile.listeners(compose.env(broker, "KAFKA_LISTENERS"));
      Map<String, String> advertised =
          ComposeFile.listeners(compose.env(broker, "KAFKA_ADVERTISED_LISTENERS"));
      String protocolMap = compose.env(broker, "KAFKA_LISTENER_SECURITY_PROTOCOL_MAP");
      String interBroker = compose.env(broker, "KAFKA_INTER_BROKER_LISTENER_NAME");

      assertEquals(
          listeners.keySet(), advertised.keySet(), broker + ": every listener is advertised");
      listeners
          .keySet()
          .forEach(
              name ->
                  assertTrue(
                      protocolMap.contains(name + ":"), broker + ": " + name + " has a protocol"));
      assertTrue(listeners.containsKey(interBroker), broker + ": the inter-broker listener exists");
      for (String name : listeners.keySet()) {
        String bindPort = port(listeners.get(name));
        String advertisedAddress = advertised.get(name);
        assertEquals(
            bindPort,
            port(advertisedAddress),
            broker + ": " + name + " advertises the port it binds");
        if (advertisedAddress.startsWith("localhost:")) {
          assertTrue(
              compose.ports(broker).contains("127.0.0.1:" + bindPort + ":" + bindPort),
              broker + ": the host listener's port is published");
          hostAddresses.add(advertisedAddress);
        } else {
          assertEquals(
              broker + ":" + bindPort,
              advertisedAddress,
              broker + ": containers reach it by service name");
        }
      }
    }
    assertFalse(
        hostAddresses.isEmpty(), file + ": a listener is advertised as localhost for the host");
    assertEquals(
        Defaults.BOOTSTRAP_SERVERS,
        hostAddresses.get(0),
        "the jar's default address reaches the first broker");
    String uiBootstrap = compose.env("kafka-ui", "KAFKA_CLUSTERS_0_BOOTSTRAPSERVERS");
    for (String broker : compose.brokers()) {
      assertTrue(uiBootstrap.contains(broker + ":29092"), "Kafka UI knows " + broker);
    }
  }

  @Test
  void singleBrokerKeepsOneCopyOfInternalTopicsAndCreatesUserEventsWithThreePartitions() {
    assertAll(
        () -> assertEquals("1", single.env("kafka", "KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR")),
        () ->
            assertEquals(
                "1", single.env("kafka", "KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR")),
        () -> assertEquals("1", single.env("kafka", "KAFKA_TRANSACTION_STATE_LOG_MIN_ISR")),
        () -> assertEquals("0", single.env("kafka", "KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS")));
    String init = initCommand(single);
    assertTrue(init.contains("--topic user-events --partitions 3 --replication-factor 1"), init);
    assertTrue(init.contains("--if-not-exists"), "safe to run on every start: " + init);
  }

  @Test
  void clusterReplicatesEverythingThreeTimesAndNeedsTwoInSync() {
    assertEquals(List.of("kafka-1", "kafka-2", "kafka-3"), cluster.brokers());
    int port = 9092;
    for (String broker : cluster.brokers()) {
      assertEquals(List.of("127.0.0.1:" + port + ":" + port), cluster.ports(broker));
      port++;
      assertAll(
          () -> assertEquals("3", cluster.env(broker, "KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR")),
          () ->
              assertEquals(
                  "3", cluster.env(broker, "KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR")),
          () -> assertEquals("2", cluster.env(broker, "KAFKA_TRANSACTION_STATE_LOG_MIN_ISR")),
          () -> assertEquals("3", cluster.env(broker, "KAFKA_DEFAULT_REPLICATION_FACTOR")),
          () -> assertEquals("2", cluster.env(broker, "KAFKA_MIN_INSYNC_REPLICAS")));
    }
    assertEquals(
        3,
        cluster.brokers().stream().map(b -> cluster.env(b, "KAFKA_BROKER_ID")).distinct().count(),
        "distinct broker ids");
    String init = initCommand(cluster);
    assertTrue(
        init.contains(
            "--topic user-events --partitions 3 --replication-factor 3 --config min.insync.replicas=2"),
        init);
    for (String broker : cluster.brokers()) {
      assertEquals(
          "service_healthy",
          cluster.service("kafka-init").at("/depends_on/" + broker + "/condition").asText());
    }
  }

  @Test
  void theImagesAreTheOnesTheTestsRun() {
    for (ComposeFile compose : List.of(single, cluster)) {
      for (String broker : compose.brokers()) {
        assertEquals(ComposeStack.CP_KAFKA_IMAGE, compose.service(broker).path("image").asText());
      }
      assertEquals(
          ComposeStack.CP_KAFKA_IMAGE.replace("cp-kafka", "cp-zookeeper"),
          compose.service("zookeeper").path("image").asText());
      assertTrue(
          compose
              .service("kafka-ui")
              .path("image")
              .asText()
              .startsWith("ghcr.io/kafbat/kafka-ui:"));
    }
  }

  /**
   * A schema registry of the same Confluent release as the brokers, on localhost:8081, storing its
   * schemas in the cluster with the cluster's replication, and Kafka UI reading through it.
   */
  @Test
  void bothStacksHaveASchemaRegistryThatKafkaUiUses() {
    for (ComposeFile compose : List.of(single, cluster)) {
      JsonNode registry = compose.service("schema-registry");
      assertEquals(
          ComposeStack.CP_KAFKA_IMAGE.replace("cp-kafka", "cp-schema-registry"),
          registry.path("image").asText());
      assertEquals(List.of("127.0.0.1:8081:8081"), compose.ports("schema-registry"));
      List<String> brokers = compose.brokers();
      assertEquals(
          brokers.stream().map(broker -> broker + ":29092").collect(Collectors.joining(",")),
          compose.env("schema-registry", "SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS"));
      assertEquals(
          brokers.size() == 1 ? "1" : "3",
          compose.env("schema-registry", "SCHEMA_REGISTRY_KAFKASTORE_TOPIC_REPLICATION_FACTOR"));
      assertEquals(
          "backward", compose.env("schema-registry", "SCHEMA_REGISTRY_SCHEMA_COMPATIBILITY_LEVEL"));
      for (String broker : brokers) {
        assertEquals(
            "service_healthy",
            registry.at("/depends_on/" + broker + "/condition").asText(),
            "the registry waits for " + broker);
      }
      assertEquals(
          "http://schema-registry:8081",
          compose.env("kafka-ui", "KAFKA_CLUSTERS_0_SCHEMAREGISTRY"));
      assertEquals(
          "service_healthy",
          compose.service("kafka-ui").at("/depends_on/schema-registry/condition").asText());
    }
  }

  /**
   * Kafka Connect is this project's own connect command (the same connectors as without Docker),
   * next to a PostgreSQL with logical decoding, and Kafka UI shows its connectors.
   */
  @Test
  void bothStacksRunTheJarsConnectWorkerNextToPostgres() {
    for (ComposeFile compose : List.of(single, cluster)) {
      JsonNode connect = compose.service("connect");
      List<String> command = new ArrayList<>();
      connect.path("command").forEach(word -> command.add(word.asText()));
      String brokers =
          compose.brokers().stream().map(b -> b + ":29092").collect(Collectors.joining(","));
      assertEquals(
          List.of(
              "java",
              "-Xmx512m",
              "-jar",
              "/app/kafka-demo.jar",
              "connect",
              "-b",
              brokers,
              "--rest-host",
              "0.0.0.0"),
          command);
      assertEquals(
          "./target/kafka-demo.jar:/app/kafka-demo.jar:ro",
          connect.path("volumes").get(0).asText());
      assertEquals(List.of("127.0.0.1:8083:8083"), compose.ports("connect"));
      assertEquals("postgres", compose.env("connect", "KAFKA_DEMO_POSTGRES_HOST"));
      assertEquals("service_healthy", connect.at("/depends_on/postgres/condition").asText());
      for (String broker : compose.brokers()) {
        assertEquals(
            "service_healthy", connect.at("/depends_on/" + broker + "/condition").asText());
      }
      JsonNode postgres = compose.service("postgres");
      assertTrue(
          postgres.path("command").toString().contains("wal_level=logical"), postgres::toString);
      assertEquals(List.of("127.0.0.1:5432:5432"), compose.ports("postgres"));
      assertEquals("kafka_demo", compose.env("postgres", "POSTGRES_DB"));
      assertEquals(
          "http://connect:8083",
          compose.env("kafka-ui", "KAFKA_CLUSTERS_0_KAFKACONNECT_0_ADDRESS"));
    }
  }

  /**
   * ksqlDB in its own profile, at the stack's Confluent Platform patch: the server on
   * 127.0.0.1:8088 reading the brokers and the registry, with the cluster's replication for what it
   * writes; the CLI next to it with the SQL files; Kafka UI's KSQL page pointed at the server.
   */
  @Test
  void bothStacksHaveKsqlDbInItsProfileWiredToTheBrokersTheRegistryAndKafkaUi() {
    for (ComposeFile compose : List.of(single, cluster)) {
      JsonNode server = compose.service("ksqldb-server");
      JsonNode cli = compose.service("ksqldb-cli");
      assertEquals(
          ComposeStack.CP_KAFKA_IMAGE.replace("cp-kafka", "cp-ksqldb-server"),
          server.path("image").asText());
      assertEquals(
          ComposeStack.CP_KAFKA_IMAGE.replace("cp-kafka", "cp-ksqldb-cli"),
          cli.path("image").asText());
      for (JsonNode service : List.of(server, cli)) {
        assertEquals("[\"ksql\"]", service.path("profiles").toString(), "only with --profile ksql");
        assertEquals("./ksql:/ksql:ro", service.path("volumes").get(0).asText());
      }
      assertEquals(List.of("127.0.0.1:8088:8088"), compose.ports("ksqldb-server"));
      assertEquals(
          compose.brokers().stream().map(b -> b + ":29092").collect(Collectors.joining(",")),
          compose.env("ksqldb-server", "KSQL_BOOTSTRAP_SERVERS"));
      assertEquals(
          "http://schema-registry:8081",
          compose.env("ksqldb-server", "KSQL_KSQL_SCHEMA_REGISTRY_URL"));
      String replicas = compose.brokers().size() == 1 ? "1" : "3";
      for (String setting :
          List.of(
              "KSQL_KSQL_INTERNAL_TOPIC_REPLICAS",
              "KSQL_KSQL_STREAMS_REPLICATION_FACTOR",
              "KSQL_KSQL_LOGGING_PROCESSING_TOPIC_REPLICATION_FACTOR")) {
        assertEquals(replicas, compose.env("ksqldb-server", setting), setting);
      }
      assertTrue(
          server.at("/healthcheck/test").toString().contains("localhost:8088/healthcheck"),
          "healthy when ksqlDB says so");
      assertEquals("service_healthy", server.at("/depends_on/schema-registry/condition").asText());
      assertEquals("service_healthy", cli.at("/depends_on/ksqldb-server/condition").asText());
      assertEquals(
          "http://ksqldb-server:8088", compose.env("kafka-ui", "KAFKA_CLUSTERS_0_KSQLDBSERVER"));
      assertFalse(
          compose.service("kafka-ui").path("depends_on").has("ksqldb-server"),
          "Kafka UI starts without the ksql profile");
    }
  }

  /**
   * A Flink session cluster in its own profile for sql --jobmanager 127.0.0.1:8082: the official
   * image at the Flink version the sql command builds its jobs with, the REST API on a loopback
   * port no other service publishes (the registry has 8081), a TaskManager that waits for the
   * JobManager, checkpoints on a volume both mount, and the README's command naming the brokers as
   * the containers reach them.
   */
  @Test
  void bothStacksHaveAFlinkSessionClusterInItsProfileForSqlJobmanager() throws IOException {
    Matcher version =
        Pattern.compile("<flink.version>([^<]+)</flink.version>")
            .matcher(Files.readString(Path.of("pom.xml")));
    assertTrue(version.find(), "pom.xml pins flink.version");
    String readme = Files.readString(Path.of("README.md"));
    for (ComposeFile compose : List.of(single, cluster)) {
      JsonNode jobManager = compose.service("flink-jobmanager");
      JsonNode taskManager = compose.service("flink-taskmanager");
      for (JsonNode service : List.of(jobManager, taskManager)) {
        assertEquals(
            "flink:" + version.group(1) + "-scala_2.12-java17", service.path("image").asText());
        assertEquals(
            "[\"flink\"]", service.path("profiles").toString(), "only with --profile flink");
      }
      assertEquals("[\"jobmanager\"]", jobManager.path("command").toString());
      assertEquals("[\"taskmanager\"]", taskManager.path("command").toString());
      assertEquals(List.of("127.0.0.1:8082:8082"), compose.ports("flink-jobmanager"));
      compose
          .services()
          .forEach(
              (name, service) -> {
                if (!name.equals("flink-jobmanager")) {
                  assertFalse(
                      service.path("ports").toString().contains(":8082:"),
                      name + " publishes 8082 too");
                }
              });
      Map<String, String> settings = flinkProperties(compose, "flink-jobmanager");
      assertEquals(settings, flinkProperties(compose, "flink-taskmanager"));
      assertEquals("8082", settings.get("rest.port"));
      assertEquals("0.0.0.0", settings.get("rest.bind-address"));
      assertEquals("flink-jobmanager", settings.get("jobmanager.rpc.address"));
      String checkpoints = settings.get("execution.checkpointing.dir");
      assertTrue(checkpoints.startsWith("file:///flink-checkpoints/"), checkpoints);
      String volume = jobManager.path("volumes").get(0).asText();
      assertTrue(volume.endsWith(":/flink-checkpoints"), volume);
      assertEquals(volume, taskManager.path("volumes").get(0).asText(), "one volume for both");
      assertEquals(
          "service_healthy", taskManager.at("/depends_on/flink-jobmanager/condition").asText());
      assertTrue(
          jobManager.at("/healthcheck/test").toString().contains("localhost:8082/overview"),
          "healthy when its REST API answers");
      String bootstrap =
          compose.brokers().stream().map(b -> b + ":29092").collect(Collectors.joining(","));
      assertTrue(
          readme.contains("--jobmanager 127.0.0.1:8082 --job-bootstrap-server " + bootstrap),
          "the README runs sql against the profile with the brokers at " + bootstrap);
    }
  }

  private static Map<String, String> flinkProperties(ComposeFile compose, String service) {
    Map<String, String> settings = new java.util.TreeMap<>();
    for (String line : compose.env(service, "FLINK_PROPERTIES").split("\n")) {
      int colon = line.indexOf(": ");
      if (colon > 0) {
        settings.put(line.substring(0, colon).strip(), line.substring(colon + 2).strip());
      }
    }
    return settings;
  }

  private static String initCommand(ComposeFile compose) {
    JsonNode init = compose.service("kafka-init");
    assertNotNull(init);
    List<String> words = new ArrayList<>();
    init.path("entrypoint").forEach(w -> words.add(w.asText()));
    init.path("command").forEach(w -> words.add(w.asText()));
    return String.join(" ", words);
  }

  private static String port(String hostAndPort) {
    return hostAndPort.substring(hostAndPort.lastIndexOf(':') + 1);
  }
}
