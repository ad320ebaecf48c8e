package dev.kafkademo.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The monitoring profile's Prometheus and Grafana files, checked without starting them. */
class MonitoringConfigTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What kafka-exporter publishes (danielqsj/kafka-exporter). */
  private static final Set<String> EXPORTED =
      Set.of(
          "kafka_brokers",
          "kafka_topic_partitions",
          "kafka_topic_partition_current_offset",
          "kafka_topic_partition_oldest_offset",
          "kafka_topic_partition_in_sync_replica",
          "kafka_topic_partition_under_replicated_partition",
          "kafka_consumergroup_lag",
          "kafka_consumergroup_lag_sum",
          "kafka_consumergroup_members",
          "kafka_consumergroup_current_offset");

  private static final Pattern METRIC = Pattern.compile("\\bkafka_[a-z_]+");

  private final ComposeFile compose = ComposeFile.read("docker-compose.yml");

  @Test
  void monitoringServicesAreInTheirProfileOnly() {
    for (String service : List.of("kafka-exporter", "prometheus", "grafana")) {
      assertEquals("monitoring", compose.service(service).at("/profiles/0").asText(), service);
    }
    for (String service : List.of("zookeeper", "kafka", "kafka-init", "kafka-ui")) {
      assertTrue(
          compose.service(service).path("profiles").isMissingNode(),
          service + " starts with plain up -d");
    }
    assertTrue(
        compose
            .service("kafka-exporter")
            .path("command")
            .toString()
            .contains("--kafka.server=kafka:29092"));
  }

  @Test
  void prometheusScrapesTheExporterByItsComposeNameAndTheClusterByItsPorts() throws IOException {
    JsonNode config = YAML.readTree(Path.of("monitoring/prometheus.yml").toFile());
    List<String> jobs = new ArrayList<>();
    config.path("scrape_configs").forEach(job -> jobs.add(job.path("job_name").asText()));
    String volumes = compose.service("prometheus").path("volumes").toString();

    assertTrue(jobs.containsAll(List.of("kafka-exporter", "kafka-brokers")), jobs.toString());
    assertEquals(
        List.of("kafka-exporter:9308"),
        targets(Path.of("monitoring/compose-targets/kafka-exporter.json")));
    assertEquals(
        List.of("127.0.0.1:7071", "127.0.0.1:7072", "127.0.0.1:7073"),
        targets(Path.of("monitoring/targets/kafka-brokers.json")));
    assertTrue(compose.ports("kafka-exporter").contains("127.0.0.1:9308:9308"));
    assertTrue(
        volumes.contains("./monitoring/prometheus.yml:/etc/prometheus/prometheus.yml:ro"), volumes);
    assertTrue(volumes.contains("./monitoring/alerts.yml:/etc/prometheus/alerts.yml:ro"), volumes);
    assertTrue(
        volumes.contains("./monitoring/compose-targets:/etc/prometheus/targets:ro"), volumes);
  }

  /** Debian's promtool, where the prometheus package is installed (CI installs it). */
  @Test
  void promtoolAcceptsTheConfigAndTheAlertRules() throws Exception {
    Path promtool = Path.of("/usr/bin/promtool");
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Files.isExecutable(promtool), "Debian's prometheus package is not installed");
    for (List<String> check :
        List.of(
            List.of("check", "config", "monitoring/prometheus.yml"),
            List.of("check", "rules", "monitoring/alerts.yml"))) {
      List<String> command = new ArrayList<>(List.of(promtool.toString()));
      command.addAll(check);
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes());
      assertEquals(0, process.waitFor(), output);
      assertTrue(output.contains("SUCCESS"), output);
      assertFalse(output.contains("WARNING"), output);
    }
  }

  private static List<String> targets(Path file) throws IOException {
    List<String> targets = new ArrayList<>();
    JSON.readTree(file.toFile())
        .forEach(group -> group.path("targets").forEach(t -> targets.add(t.asText())));
    return targets;
  }

  @Test
  void grafanaProvisionsTheDatasourceAndADashboardOfExportedMetrics() throws IOException {
    JsonNode datasources =
        YAML.readTree(
            Path.of("monitoring/grafana/provisioning/datasources/prometheus.yml").toFile());
    JsonNode providers =
        YAML.readTree(
            Path.of("monitoring/grafana/provisioning/dashboards/kafka-demo.yml").toFile());
    JsonNode dashboard =
        JSON.readTree(Path.of("monitoring/grafana/dashboards/kafka-demo.json").toFile());
    String uid = datasources.at("/datasources/0/uid").asText();

    assertEquals("http://prometheus:9090", datasources.at("/datasources/0/url").asText());
    assertEquals("/etc/grafana/dashboards", providers.at("/providers/0/options/path").asText());
    assertTrue(
        compose
            .service("grafana")
            .path("volumes")
            .toString()
            .contains("./monitoring/grafana/dashboards:/etc/grafana/dashboards:ro"));
    assertTrue(Files.isRegularFile(Path.of("monitoring/grafana/dashboards/kafka-demo.json")));

    Set<String> titles = new TreeSet<>();
    Set<String> used = new TreeSet<>();
    for (JsonNode panel : dashboard.path("panels")) {
      titles.add(panel.path("title").asText());
      assertEquals(uid, panel.at("/datasource/uid").asText(), panel.path("title").asText());
      assertTrue(panel.path("description").asText().length() > 10, "each panel says what it shows");
      for (JsonNode target : panel.path("targets")) {
        Matcher m = METRIC.matcher(target.path("expr").asText());
        while (m.find()) {
          used.add(m.group());
        }
      }
    }
    assertTrue(EXPORTED.containsAll(used), "only metrics the exporter publishes: " + used);
    assertTrue(
        used.containsAll(
            Set.of(
                "kafka_topic_partition_current_offset",
                "kafka_consumergroup_lag",
                "kafka_topic_partition_under_replicated_partition",
                "kafka_topic_partitions")),
        used.toString());
    assertTrue(
        titles.containsAll(
            Set.of(
                "Messages in per second, by topic",
                "Consumer lag by group and topic",
                "Under-replicated partitions",
                "Partitions per topic")),
        titles.toString());
  }
}
