package dev.kafkademo.broker;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;

/**
 * A real single-node Apache Kafka broker in KRaft mode (combined broker and controller), started in
 * this JVM through Kafka's own production classes: the storage is formatted like {@code
 * kafka-storage.sh format} does, then {@link KafkaRaftServer} runs it like {@code
 * kafka-server-start.sh}.
 *
 * <p>It listens on 127.0.0.1 only. Every internal topic gets replication factor 1 and min ISR 1,
 * since a single node cannot hold more copies.
 */
public final class EmbeddedBroker implements AutoCloseable {
  public static final String HOST = "127.0.0.1";
  private static final String CONTROLLER_LISTENER = "CONTROLLER";
  private static final int NODE_ID = 1;

  private final KafkaRaftServer server;
  private final int port;
  private final Path dataDir;
  private final boolean deleteDataDirOnClose;
  private boolean closed;

  private EmbeddedBroker(KafkaRaftServer server, int port, Path dataDir, boolean deleteOnClose) {
    this.server = server;
    this.port = port;
    this.dataDir = dataDir;
    this.deleteDataDirOnClose = deleteOnClose;
  }

  /**
   * What a broker is started with: {@code port} 0 picks a free one, {@code dataDir} null means a
   * temporary one deleted on close.
   */
  public record Settings(int port, Path dataDir, int defaultPartitions, boolean autoCreateTopics) {
    public static Settings ephemeral() {
      return new Settings(0, null, 3, true);
    }
  }

  /**
   * Formats the storage if it is new, starts the broker and returns once a client can connect.
   *
   * @throws PortInUseException when the listener port is taken, before anything is written
   */
  public static EmbeddedBroker start(Settings settings) throws IOException {
    int port = settings.port() == 0 ? freePort() : ensureFree(settings.port());
    int controllerPort = freePort();
    boolean temporary = settings.dataDir() == null;
    Path dataDir =
        temporary
            ? Files.createTempDirectory("kafka-demo-broker-")
            : settings.dataDir().toAbsolutePath();
    Files.createDirectories(dataDir);
    try {
      KafkaConfig config =
          new KafkaConfig(brokerProperties(port, controllerPort, dataDir, settings));
      formatIfNew(dataDir);
      KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
      EmbeddedBroker broker = new EmbeddedBroker(server, port, dataDir, temporary);
      try {
        server.startup();
        broker.awaitReady(Duration.ofSeconds(60));
      } catch (RuntimeException e) {
        broker.close();
        throw e;
      }
      return broker;
    } catch (RuntimeException | IOException e) {
      if (temporary) {
        deleteRecursively(dataDir);
      }
      throw e;
    }
  }

  public String bootstrapServers() {
    return "localhost:" + port;
  }

  public int port() {
    return port;
  }

  public Path dataDir() {
    return dataDir;
  }

  public boolean temporaryDataDir() {
    return deleteDataDirOnClose;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    server.shutdown();
    server.awaitShutdown();
    if (deleteDataDirOnClose) {
      deleteRecursively(dataDir);
    }
  }

  private static Map<String, String> brokerProperties(
      int port, int controllerPort, Path dataDir, Settings settings) {
    Map<String, String> props = new HashMap<>();
    props.put("process.roles", "broker,controller");
    props.put("node.id", String.valueOf(NODE_ID));
    props.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
    props.put("controller.listener.names", CONTROLLER_LISTENER);
    props.put(
        "listeners",
        "PLAINTEXT://"
            + HOST
            + ":"
            + port
            + ","
            + CONTROLLER_LISTENER
            + "://"
            + HOST
            + ":"
            + controllerPort);
    props.put("advertised.listeners", "PLAINTEXT://localhost:" + port);
    props.put(
        "listener.security.protocol.map",
        "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
    props.put("inter.broker.listener.name", "PLAINTEXT");
    props.put("log.dirs", dataDir.toString());
    props.put("num.partitions", String.valueOf(settings.defaultPartitions()));
    props.put("auto.create.topics.enable", String.valueOf(settings.autoCreateTopics()));
    props.put("group.initial.rebalance.delay.ms", "0");
    // One node can hold one copy: every internal topic needs replication factor 1 and min ISR 1.
    props.put("offsets.topic.replication.factor", "1");
    props.put("offsets.topic.num.partitions", "5");
    props.put("transaction.state.log.replication.factor", "1");
    props.put("transaction.state.log.min.isr", "1");
    props.put("share.coordinator.state.topic.replication.factor", "1");
    props.put("share.coordinator.state.topic.min.isr", "1");
    props.put("default.replication.factor", "1");
    props.put("min.insync.replicas", "1");
    return Map.copyOf(props);
  }

  private static void formatIfNew(Path dataDir) throws IOException {
    if (Files.exists(dataDir.resolve("meta.properties"))) {
      return; // formatted on an earlier start: keep its cluster id and data
    }
    try {
      new Formatter()
          .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
          .setNodeId(NODE_ID)
          .setClusterId(Uuid.randomUuid().toString())
          .setControllerListenerName(CONTROLLER_LISTENER)
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

  private void awaitReady(Duration timeout) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, "kafka-demo-broker-readiness");
    try (Admin admin = Admin.create(props)) {
      admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for the broker to start", e);
    } catch (Exception e) {
      throw new IllegalStateException(
          "The broker did not answer within " + timeout.toSeconds() + " s", e);
    }
  }

  private static int ensureFree(int port) throws PortInUseException {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
      return port;
    } catch (IOException e) {
      throw new PortInUseException(port);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getByName(HOST))) {
      return socket.getLocalPort();
    }
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // Best effort: a leftover temporary directory is harmless and the OS cleans /tmp.
    }
  }

  /** The requested listener port is taken by another process. */
  public static final class PortInUseException extends IOException {
    private final int port;

    public PortInUseException(int port) {
      super("Port " + port + " on " + HOST + " is already in use");
      this.port = port;
    }

    public int port() {
      return port;
    }
  }
}
