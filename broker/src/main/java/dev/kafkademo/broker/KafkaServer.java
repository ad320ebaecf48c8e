package dev.kafkademo.broker;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;

/**
 * The one place that calls Kafka's server internals: what {@code kafka-storage.sh format} and
 * {@code kafka-server-start.sh} run. Kafka has no public API for a broker in one's own JVM (its
 * {@code KafkaClusterTestKit} ships in test jars only), so these are its production classes.
 */
final class KafkaServer {
  private final KafkaConfig config;
  private KafkaRaftServer server;

  /**
   * Checks the settings; the server is made at {@link #startup}, as it reads the data directory.
   *
   * @throws org.apache.kafka.common.config.ConfigException what is wrong with a setting
   */
  KafkaServer(Map<String, String> properties) {
    this.config = new KafkaConfig(properties);
  }

  /**
   * Formats a new data directory for a combined broker and controller of a cluster with a fixed
   * quorum ({@code controller.quorum.voters}), as {@code kafka-storage.sh format -t CLUSTER_ID}.
   */
  static void format(Path dataDir, int nodeId, String clusterId, String controllerListener)
      throws IOException {
    try {
      new Formatter()
          .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
          .setNodeId(nodeId)
          .setClusterId(clusterId)
          .setControllerListenerName(controllerListener)
          .setMetadataLogDirectory(dataDir.toString())
          .addDirectory(dataDir.toString())
          .run();
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException(
          "Could not format the broker storage in " + dataDir + ": " + e.getMessage(), e);
    }
  }

  /** Starts the broker over a formatted data directory (it reads the cluster and node ids). */
  void startup() {
    server = new KafkaRaftServer(config, Time.SYSTEM);
    server.startup();
  }

  /** Stops the broker and waits until it has. */
  void shutdown() {
    if (server != null) {
      server.shutdown();
      server.awaitShutdown();
    }
  }
}
