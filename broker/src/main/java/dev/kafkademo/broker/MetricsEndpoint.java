package dev.kafkademo.broker;

import io.prometheus.jmx.JmxCollector;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.InputStream;
import javax.management.MalformedObjectNameException;

/**
 * The broker's own JMX metrics in Prometheus' text format at {@code /metrics}: Prometheus' JMX
 * exporter reads this JVM's MBeans with the rules in {@code metrics.yml}, and the Prometheus Java
 * client's HTTP server serves them, as the exporter's Java agent would.
 */
final class MetricsEndpoint implements AutoCloseable {
  private final HTTPServer server;
  private final String url;

  private MetricsEndpoint(HTTPServer server, String url) {
    this.server = server;
    this.url = url;
  }

  static MetricsEndpoint start(String host, int port) throws IOException {
    PrometheusRegistry registry = new PrometheusRegistry();
    try (InputStream rules = MetricsEndpoint.class.getResourceAsStream("metrics.yml")) {
      if (rules == null) {
        throw new IllegalStateException("metrics.yml is missing from the jar");
      }
      new JmxCollector(rules).register(registry);
    } catch (MalformedObjectNameException e) {
      throw new IllegalStateException("metrics.yml names a bad MBean pattern", e);
    }
    HTTPServer server =
        HTTPServer.builder().hostname(host).port(port).registry(registry).buildAndStart();
    return new MetricsEndpoint(server, "http://" + host + ":" + server.getPort() + "/metrics");
  }

  String url() {
    return url;
  }

  @Override
  public void close() {
    server.close();
  }
}
