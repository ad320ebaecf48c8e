package dev.kafkademo.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A compose file read with a YAML parser, with the look-ups the checks need. */
final class ComposeFile {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  final Path path;
  final JsonNode root;

  private ComposeFile(Path path, JsonNode root) {
    this.path = path;
    this.root = root;
  }

  static ComposeFile read(String name) {
    Path path = Path.of(name);
    try {
      return new ComposeFile(path, YAML.readTree(path.toFile()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Map<String, JsonNode> services() {
    Map<String, JsonNode> services = new LinkedHashMap<>();
    root.get("services").fields().forEachRemaining(e -> services.put(e.getKey(), e.getValue()));
    return services;
  }

  JsonNode service(String name) {
    JsonNode service = root.at("/services/" + name);
    if (service.isMissingNode()) {
      throw new AssertionError(path + " has no service " + name);
    }
    return service;
  }

  /** An environment variable of a service, as text (compose allows numbers). */
  String env(String service, String variable) {
    JsonNode value = service(service).at("/environment/" + variable);
    return value.isMissingNode() ? null : value.asText();
  }

  /** Published ports as "host-ip:host-port:container-port" strings. */
  List<String> ports(String service) {
    List<String> ports = new ArrayList<>();
    service(service).path("ports").forEach(p -> ports.add(p.asText()));
    return ports;
  }

  /** {@code NAME://host:port,...} as listener name → host:port. */
  static Map<String, String> listeners(String spec) {
    Map<String, String> listeners = new LinkedHashMap<>();
    for (String listener : spec.split(",")) {
      int separator = listener.indexOf("://");
      listeners.put(listener.substring(0, separator), listener.substring(separator + 3));
    }
    return listeners;
  }

  /** The broker services: those that run Kafka itself, not the one-shot init. */
  List<String> brokers() {
    return services().entrySet().stream()
        .filter(e -> e.getValue().path("environment").has("KAFKA_BROKER_ID"))
        .map(Map.Entry::getKey)
        .toList();
  }
}
