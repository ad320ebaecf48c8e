package dev.kafkademo.broker;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.Uuid;

/**
 * A real single-node Apache Kafka broker in KRaft mode (combined broker and controller), started in
 * this JVM through Kafka's own production classes: the storage is formatted like {@code
 * kafka-storage.sh format} does, then Kafka's KRaft server runs it like {@code
 * kafka-server-start.sh} ({@link KafkaServer}, the one class that calls Kafka's internals).
 *
 * <p>It listens on 127.0.0.1 only. Every internal topic gets replication factor 1 and min ISR 1,
 * since a single node cannot hold more copies.
 */
public final class EmbeddedBroker implements AutoCloseable {
  public static final String HOST = "127.0.0.1";
  private static final String CONTROLLER_LISTENER = "CONTROLLER";
  private static final int SINGLE_NODE_ID = 1;

  private final KafkaServer server;
  private final int port;
  private final Path dataDir;
  private final boolean deleteDataDirOnClose;
  private final TlsFiles tls;
  private final Path temporaryTlsDir;
  private MetricsEndpoint metrics;
  private boolean closed;

  private EmbeddedBroker(
      KafkaServer server,
      int port,
      Path dataDir,
      boolean deleteOnClose,
      TlsFiles tls,
      Path temporaryTlsDir) {
    this.server = server;
    this.port = port;
    this.dataDir = dataDir;
    this.deleteDataDirOnClose = deleteOnClose;
    this.tls = tls;
    this.temporaryTlsDir = temporaryTlsDir;
  }

  /**
   * What a broker is started with: {@code port} 0 picks a free one, {@code dataDir} null means a
   * temporary one deleted on close.
   */
  public record Settings(
      int port,
      Path dataDir,
      int defaultPartitions,
      boolean autoCreateTopics,
      Map<String, String> saslUsers,
      String advertisedAddress,
      Tls tls,
      ClusterNode node,
      int metricsPort) {
    public Settings {
      saslUsers = Map.copyOf(saslUsers);
    }

    /** A free port, a temporary directory, 3 partitions, auto-created topics, no SASL, no TLS. */
    public static Settings ephemeral() {
      return new Settings(0, null, 3, true, Map.of(), null, null, null, 0);
    }

    public Settings withPort(int newPort) {
      return new Settings(
          newPort,
          dataDir,
          defaultPartitions,
          autoCreateTopics,
          saslUsers,
          advertisedAddress,
          tls,
          node,
          metricsPort);
    }

    public Settings withDataDir(Path newDataDir) {
      return new Settings(
          port,
          newDataDir,
          defaultPartitions,
          autoCreateTopics,
          saslUsers,
          advertisedAddress,
          tls,
          node,
          metricsPort);
    }

    public Settings withDefaultPartitions(int partitions) {
      return new Settings(
          port,
          dataDir,
          partitions,
          autoCreateTopics,
          saslUsers,
          advertisedAddress,
          tls,
          node,
          metricsPort);
    }

    public Settings withAutoCreateTopics(boolean enabled) {
      return new Settings(
          port,
          dataDir,
          defaultPartitions,
          enabled,
          saslUsers,
          advertisedAddress,
          tls,
          node,
          metricsPort);
    }

    public Settings withSaslUsers(Map<String, String> users) {
      return new Settings(
          port,
          dataDir,
          defaultPartitions,
          autoCreateTopics,
          users,
          advertisedAddress,
          tls,
          node,
          metricsPort);
    }

    /**
     * What the broker tells clients to connect to after bootstrapping (default: localhost and the
     * port). Only for showing what a wrong advertised listener does.
     */
    public Settings withAdvertisedAddress(String hostAndPort) {
      return new Settings(
          port,
          dataDir,
          defaultPartitions,
          autoCreateTopics,
          saslUsers,
          hostAndPort,
          tls,
          node,
          metricsPort);
    }

    /** The client port over TLS (SASL_SSL with users), with certificates from {@code newTls}. */
    public Settings withTls(Tls newTls) {
      return new Settings(
          port,
          dataDir,
          defaultPartitions,
          autoCreateTopics,
          saslUsers,
          advertisedAddress,
          newTls,
          node,
          metricsPort);
    }

    /** One node of a multi-node cluster (null: a cluster of its own, today's single node). */
    public Settings withClusterNode(ClusterNode newNode) {
      return new Settings(
          port,
          dataDir,
          defaultPartitions,
          autoCreateTopics,
          saslUsers,
          advertisedAddress,
          tls,
          newNode,
          metricsPort);
    }

    /** Serve the broker's metrics in Prometheus' text format at /metrics (0: not served). */
    public Settings withMetricsPort(int newMetricsPort) {
      return new Settings(
          port,
          dataDir,
          defaultPartitions,
          autoCreateTopics,
          saslUsers,
          advertisedAddress,
          tls,
          node,
          newMetricsPort);
    }

    /** The voters of the controller quorum: the cluster's own, or this node alone. */
    QuorumVoters quorum(int controllerPort) {
      return node != null
          ? node.quorum()
          : new QuorumVoters(List.of(new QuorumVoters.Voter(SINGLE_NODE_ID, HOST, controllerPort)));
    }

    /** With users, clients must authenticate (SASL PLAIN or SCRAM-SHA-256/512) on the port. */
    public boolean sasl() {
      return !saslUsers.isEmpty();
    }

    /**
     * Whether the broker and our own setup need a listener of their own, because clients must
     * authenticate, speak TLS or are sent elsewhere.
     */
    boolean privateListener() {
      return sasl() || tls != null || advertisedAddress != null;
    }

    /** The client listener's security protocol, as clients name it in security.protocol. */
    public String securityProtocol() {
      return (sasl() ? "SASL_" : "") + (tls != null ? "SSL" : "PLAINTEXT");
    }
  }

  /**
   * TLS on the client port.
   *
   * @param dir where the certificates are kept (null: {@code tls} beside the data directory)
   * @param clientAuth mutual TLS: clients must show a certificate signed by the broker's CA, whose
   *     CN is their principal
   */
  public record Tls(Path dir, boolean clientAuth) {}

  /**
   * A node of a KRaft cluster whose nodes are each a broker and a controller.
   *
   * @param nodeId this node's id, one of the quorum's
   * @param controllerPort where this node's controller listens: its entry in the quorum
   * @param quorum every controller of the cluster, the same list on each node
   * @param clusterId the id every node's storage is formatted with (null: a new one, for a node
   *     whose data directory was formatted already)
   */
  public record ClusterNode(int nodeId, int controllerPort, QuorumVoters quorum, String clusterId) {
    /**
     * @throws IllegalArgumentException when the node is not in the quorum as given
     */
    public ClusterNode {
      QuorumVoters.Voter own = quorum.voter(nodeId);
      if (own == null) {
        throw new IllegalArgumentException(
            "--node-id " + nodeId + " is not in --controller-quorum " + quorum);
      }
      if (own.port() != controllerPort) {
        throw new IllegalArgumentException(
            "--controller-port "
                + controllerPort
                + " is not the port --controller-quorum gives node "
                + nodeId
                + " ("
                + own
                + ")");
      }
      if (clusterId != null) {
        try {
          Uuid.fromString(clusterId);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              "--cluster-id '"
                  + clusterId
                  + "' is not a cluster id: 22 characters of URL-safe Base64, as"
                  + " `kafka-storage.sh random-uuid` prints");
        }
      }
    }
  }

  /** A new cluster id, in the form {@code kafka-storage.sh random-uuid} prints. */
  public static String newClusterId() {
    return Uuid.randomUuid().toString();
  }

  /** The SASL mechanisms the client listener offers when users are given. */
  public static final List<String> SASL_MECHANISMS =
      List.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512");

  private static final String CLIENT_LISTENER = "CLIENT";
  private static final String INTERNAL_LISTENER = "INTERNAL";

  /**
   * Formats the storage if it is new, starts the broker and returns once a client can connect.
   *
   * @throws DataDirectoryException when the data directory is in use by a running broker or cannot
   *     be used, before anything in it is touched
   * @throws PortInUseException when the listener port is taken, before anything is written
   */
  public static EmbeddedBroker start(Settings settings) throws IOException {
    boolean temporary = settings.dataDir() == null;
    Path chosenDir = temporary ? null : prepare(settings.dataDir());
    int port = settings.port() == 0 ? freePort() : ensureFree(settings.port());
    ClusterNode node = settings.node();
    int controllerPort = node != null ? ensureFree(node.controllerPort()) : freePort();
    if (settings.metricsPort() != 0) {
      ensureFree(settings.metricsPort());
    }
    // Normally the client listener serves everyone; with SASL or a test's advertised address, the
    // broker and our own setup (readiness, SCRAM users) use a plaintext listener on a private port.
    int internalPort = settings.privateListener() ? freePort() : port;
    Path dataDir = temporary ? Files.createTempDirectory("kafka-demo-broker-") : chosenDir;
    Path tlsDir = settings.tls() == null ? null : tlsDir(settings.tls(), dataDir);
    // A temporary data directory's certificates go with it.
    Path temporaryTlsDir =
        temporary && settings.tls() != null && settings.tls().dir() == null ? tlsDir : null;
    try {
      TlsFiles tls = tlsDir == null ? null : TlsFiles.prepare(tlsDir, settings.tls().clientAuth());
      // A bad setting is said here, before the directory is formatted.
      KafkaServer server =
          new KafkaServer(
              brokerProperties(port, internalPort, controllerPort, dataDir, settings, tls));
      formatIfNew(dataDir, node);
      EmbeddedBroker broker =
          new EmbeddedBroker(server, port, dataDir, temporary, tls, temporaryTlsDir);
      try {
        server.startup();
        try (Admin admin = internalAdmin(internalPort)) {
          // A cluster's node is ready once a majority of the controllers are up to elect a leader,
          // and the other nodes may be starting on the same cores.
          awaitReady(admin, Duration.ofSeconds(node != null ? 180 : 60));
          upsertScramUsers(admin, settings.saslUsers());
        }
        if (tls != null) {
          tls.writeClientProperties(settings.securityProtocol());
        }
        if (settings.metricsPort() != 0) {
          broker.metrics = MetricsEndpoint.start(HOST, settings.metricsPort());
        }
      } catch (RuntimeException | IOException e) {
        broker.close();
        throw e;
      }
      return broker;
    } catch (RuntimeException | IOException e) {
      if (temporary) {
        deleteRecursively(dataDir);
      }
      if (temporaryTlsDir != null) {
        deleteRecursively(temporaryTlsDir);
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

  /** Where Prometheus scrapes this broker ({@code http://127.0.0.1:PORT/metrics}), or null. */
  public String metricsUrl() {
    return metrics == null ? null : metrics.url();
  }

  public Path dataDir() {
    return dataDir;
  }

  public boolean temporaryDataDir() {
    return deleteDataDirOnClose;
  }

  /** The certificates and client settings when the client port serves TLS, else null. */
  public TlsFiles tls() {
    return tls;
  }

  /**
   * Where the certificates are kept: the given directory, else beside the data directory, with
   * {@code -tls} after its name. Not inside it: Kafka stops at start on any directory in its log
   * directory that is not a partition's.
   */
  private static Path tlsDir(Tls tls, Path dataDir) {
    return tls.dir() != null
        ? tls.dir()
        : dataDir.toAbsolutePath().resolveSibling(dataDir.getFileName() + "-tls");
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (metrics != null) {
      metrics.close();
    }
    server.shutdown();
    if (deleteDataDirOnClose) {
      deleteRecursively(dataDir);
    }
    if (temporaryTlsDir != null) {
      deleteRecursively(temporaryTlsDir);
    }
  }

  private static Map<String, String> brokerProperties(
      int port,
      int internalPort,
      int controllerPort,
      Path dataDir,
      Settings settings,
      TlsFiles tls) {
    Map<String, String> props = new HashMap<>();
    props.put("process.roles", "broker,controller");
    QuorumVoters quorum = settings.quorum(controllerPort);
    int nodeId = settings.node() != null ? settings.node().nodeId() : SINGLE_NODE_ID;
    props.put("node.id", String.valueOf(nodeId));
    props.put("controller.quorum.voters", quorum.toString());
    props.put("controller.listener.names", CONTROLLER_LISTENER);
    String controller = CONTROLLER_LISTENER + "://" + HOST + ":" + controllerPort;
    if (settings.privateListener()) {
      String advertised =
          settings.advertisedAddress() != null ? settings.advertisedAddress() : "localhost:" + port;
      String internal = INTERNAL_LISTENER + "://" + HOST + ":" + internalPort;
      props.put(
          "listeners",
          CLIENT_LISTENER + "://" + HOST + ":" + port + "," + internal + "," + controller);
      props.put("advertised.listeners", CLIENT_LISTENER + "://" + advertised + "," + internal);
      props.put(
          "listener.security.protocol.map",
          CLIENT_LISTENER
              + ":"
              + settings.securityProtocol()
              + ","
              + INTERNAL_LISTENER
              + ":PLAINTEXT,"
              + CONTROLLER_LISTENER
              + ":PLAINTEXT");
      props.put("inter.broker.listener.name", INTERNAL_LISTENER);
    } else {
      props.put("listeners", "PLAINTEXT://" + HOST + ":" + port + "," + controller);
      props.put("advertised.listeners", "PLAINTEXT://localhost:" + port);
      props.put(
          "listener.security.protocol.map",
          "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
      props.put("inter.broker.listener.name", "PLAINTEXT");
    }
    String prefix = "listener.name." + CLIENT_LISTENER.toLowerCase(java.util.Locale.ROOT) + ".";
    if (tls != null) {
      props.put(prefix + "ssl.keystore.type", "PEM");
      props.put(prefix + "ssl.keystore.location", tls.brokerKeystore().toString());
      props.put(prefix + "ssl.truststore.type", "PEM");
      props.put(prefix + "ssl.truststore.location", tls.ca().toString());
      props.put(prefix + "ssl.client.auth", tls.clientAuth() ? "required" : "none");
      // A client certificate's principal is its CN (User:client), not the whole distinguished name.
      props.put("ssl.principal.mapping.rules", "RULE:^CN=([^,]+)$/$1/,DEFAULT");
    }
    if (settings.sasl()) {
      props.put(prefix + "sasl.enabled.mechanisms", String.join(",", SASL_MECHANISMS));
      props.put(prefix + "plain.sasl.jaas.config", plainJaas(settings.saslUsers()));
      props.put(prefix + "scram-sha-256.sasl.jaas.config", SCRAM_JAAS);
      props.put(prefix + "scram-sha-512.sasl.jaas.config", SCRAM_JAAS);
    }
    if (settings.sasl() || tls != null) {
      // ACLs can be added (by any user while none restrict the cluster); without any, all may act.
      // Our own setup connects as ANONYMOUS on the private listener, hence a super user.
      props.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
      props.put("allow.everyone.if.no.acl.found", "true");
      props.put("super.users", "User:ANONYMOUS");
    }
    props.put("log.dirs", dataDir.toString());
    props.put("num.partitions", String.valueOf(settings.defaultPartitions()));
    props.put("auto.create.topics.enable", String.valueOf(settings.autoCreateTopics()));
    props.put("group.initial.rebalance.delay.ms", "0");
    // One node can hold one copy: every internal topic needs replication factor 1 and min ISR 1.
    // A cluster of three or more keeps three copies and needs two in sync, as the Compose one does.
    String replicas = String.valueOf(quorum.replicationFactor());
    String minInsync = String.valueOf(quorum.minInsyncReplicas());
    props.put("offsets.topic.replication.factor", replicas);
    props.put("offsets.topic.num.partitions", "5");
    props.put("transaction.state.log.replication.factor", replicas);
    props.put("transaction.state.log.min.isr", minInsync);
    props.put("share.coordinator.state.topic.replication.factor", replicas);
    props.put("share.coordinator.state.topic.min.isr", minInsync);
    props.put("default.replication.factor", replicas);
    props.put("min.insync.replicas", minInsync);
    return Map.copyOf(props);
  }

  private static void formatIfNew(Path dataDir, ClusterNode node) throws IOException {
    Path meta = dataDir.resolve("meta.properties");
    if (Files.exists(meta)) {
      // Formatted on an earlier start: keep its cluster id and data, if it is this node's.
      if (node != null) {
        refuseOtherNode(dataDir, meta, node);
      }
      return;
    }
    int nodeId = node != null ? node.nodeId() : SINGLE_NODE_ID;
    String clusterId = node != null && node.clusterId() != null ? node.clusterId() : newClusterId();
    KafkaServer.format(dataDir, nodeId, clusterId, CONTROLLER_LISTENER);
  }

  /**
   * Kafka would stop at start with an InconsistentClusterIdException deep in its log; this says it
   * before anything starts.
   */
  private static void refuseOtherNode(Path dataDir, Path meta, ClusterNode node)
      throws IOException {
    Properties formatted = new Properties();
    try (var in = Files.newInputStream(meta)) {
      formatted.load(in);
    }
    String clusterId = formatted.getProperty("cluster.id");
    String nodeId = formatted.getProperty("node.id");
    if (node.clusterId() != null && clusterId != null && !clusterId.equals(node.clusterId())) {
      throw new DataDirectoryException(
          "Data directory "
              + dataDir
              + " belongs to cluster "
              + clusterId
              + ", not --cluster-id "
              + node.clusterId()
              + ": give each cluster its own --data-dir",
          false);
    }
    if (nodeId != null && !nodeId.equals(String.valueOf(node.nodeId()))) {
      throw new DataDirectoryException(
          "Data directory "
              + dataDir
              + " holds node "
              + nodeId
              + ", not --node-id "
              + node.nodeId()
              + ": give each node its own --data-dir",
          false);
    }
  }

  private static final String SCRAM_JAAS =
      "org.apache.kafka.common.security.scram.ScramLoginModule required;";

  /** PLAIN checks passwords against the broker's JAAS entry: {@code user_NAME="PASSWORD"}. */
  private static String plainJaas(Map<String, String> users) {
    StringBuilder jaas =
        new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required");
    users.forEach(
        (name, password) ->
            jaas.append(" user_").append(name).append("=\"").append(password).append('"'));
    return jaas.append(';').toString();
  }

  private static Admin internalAdmin(int internalPort) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, HOST + ":" + internalPort);
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, "kafka-demo-broker-setup");
    return Admin.create(props);
  }

  /**
   * SCRAM users live in the cluster metadata: set them on every start, so a data dir gets new ones.
   */
  private static void upsertScramUsers(Admin admin, Map<String, String> users) {
    if (users.isEmpty()) {
      return;
    }
    try {
      // One request per mechanism: a request may change each user's credentials only once.
      for (ScramMechanism mechanism :
          List.of(ScramMechanism.SCRAM_SHA_256, ScramMechanism.SCRAM_SHA_512)) {
        List<UserScramCredentialAlteration> upserts = new ArrayList<>();
        users.forEach(
            (name, password) ->
                upserts.add(
                    new UserScramCredentialUpsertion(
                        name, new ScramCredentialInfo(mechanism, 8192), password)));
        admin.alterUserScramCredentials(upserts).all().get(60, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while adding SASL users", e);
    } catch (Exception e) {
      throw new IllegalStateException("Could not add the SASL users: " + e.getMessage(), e);
    }
  }

  private static void awaitReady(Admin admin, Duration timeout) {
    try {
      admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for the broker to start", e);
    } catch (Exception e) {
      throw new IllegalStateException(
          "The broker did not answer within " + timeout.toSeconds() + " s", e);
    }
  }

  static int ensureFree(int port) throws PortInUseException {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
      return port;
    } catch (IOException e) {
      throw new PortInUseException(port);
    }
  }

  static int freePort() throws IOException {
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

  private static Path prepare(Path dataDir) throws DataDirectoryException {
    try {
      return DataDirectory.prepare(dataDir);
    } catch (DataDirectory.InUseException | DataDirectory.UnusableException e) {
      throw new DataDirectoryException(e.getMessage(), e instanceof DataDirectory.InUseException);
    } catch (IOException e) {
      throw new DataDirectoryException(
          "Cannot use " + dataDir + " as the data directory: " + e.getMessage(), false);
    }
  }

  /** The data directory is in use by a running broker, or cannot hold a broker's data. */
  public static final class DataDirectoryException extends IOException {
    private final boolean inUse;

    DataDirectoryException(String message, boolean inUse) {
      super(message);
      this.inUse = inUse;
    }

    /** True when a running broker holds it; false when the directory itself is the problem. */
    public boolean inUse() {
      return inUse;
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
