package dev.kafkademo.broker;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;

/**
 * A KRaft cluster of several {@code broker} processes on this machine, each a broker and a
 * controller, kept in one directory:
 *
 * <pre>
 *   DIR/cluster.properties   the cluster id and each node's ports (the quorum never changes)
 *   DIR/node-N/              node N's data (its Kafka log directory)
 *   DIR/node-N.log           what node N printed
 *   DIR/node-N.pid           node N's process id while it runs
 * </pre>
 *
 * The nodes are separate processes, started in the background, so any one can be stopped or killed
 * as a real broker would be; this class only starts, finds and signals them.
 */
public final class LocalCluster {
  public static final String LAYOUT_FILE = "cluster.properties";
  public static final int MAX_NODES = 9;

  /** One node: its id, client port, controller port and metrics port (0: none). */
  public record NodePorts(int id, int port, int controllerPort, int metricsPort) {
    public String bootstrap() {
      return "localhost:" + port;
    }

    public String metricsUrl() {
      return metricsPort == 0 ? null : "http://127.0.0.1:" + metricsPort + "/metrics";
    }
  }

  /** What a user got wrong (exit 2) or what went wrong at run time (exit 1). */
  public static final class ClusterException extends IOException {
    private final boolean badInput;

    ClusterException(String message, boolean badInput) {
      super(message);
      this.badInput = badInput;
    }

    public boolean badInput() {
      return badInput;
    }
  }

  private final Path dir;
  private final String clusterId;
  private final List<NodePorts> nodes;

  private LocalCluster(Path dir, String clusterId, List<NodePorts> nodes) {
    this.dir = dir;
    this.clusterId = clusterId;
    this.nodes = List.copyOf(nodes);
  }

  /** Whether DIR holds a cluster made by {@link #create}. */
  public static boolean exists(Path dir) {
    return Files.isRegularFile(dir.resolve(LAYOUT_FILE));
  }

  /** The cluster in DIR. */
  public static LocalCluster open(Path dir) throws IOException {
    Path absolute = dir.toAbsolutePath();
    Properties layout = new Properties();
    try (InputStream in = Files.newInputStream(absolute.resolve(LAYOUT_FILE))) {
      layout.load(in);
    } catch (NoSuchFileException e) {
      throw new ClusterException(
          "No cluster in "
              + absolute
              + " (it has no "
              + LAYOUT_FILE
              + "): start one with `cluster start --data-dir "
              + dir
              + "`, or name the --data-dir it was started with",
          true);
    }
    try {
      int count = Integer.parseInt(layout.getProperty("nodes"));
      List<NodePorts> nodes = new ArrayList<>();
      for (int id = 1; id <= count; id++) {
        nodes.add(
            new NodePorts(
                id,
                Integer.parseInt(layout.getProperty("node." + id + ".port")),
                Integer.parseInt(layout.getProperty("node." + id + ".controller.port")),
                Integer.parseInt(layout.getProperty("node." + id + ".metrics.port", "0"))));
      }
      return new LocalCluster(absolute, layout.getProperty("cluster.id"), nodes);
    } catch (RuntimeException e) {
      throw new ClusterException(
          absolute.resolve(LAYOUT_FILE) + " is damaged (" + e + "): start the cluster afresh",
          true);
    }
  }

  /**
   * A new cluster's layout in DIR, checked and written, with nothing started: node N on client port
   * {@code firstPort + N - 1} (and metrics port {@code firstMetricsPort + N - 1} when that is not
   * 0), controller ports chosen free.
   *
   * @throws ClusterException (bad input) when DIR holds other files or a port is taken
   */
  public static LocalCluster create(Path dir, int nodeCount, int firstPort, int firstMetricsPort)
      throws IOException {
    if (nodeCount < 1 || nodeCount > MAX_NODES) {
      throw new ClusterException(
          "--nodes must be between 1 and " + MAX_NODES + ", got " + nodeCount, true);
    }
    checkRange("--port", firstPort, nodeCount);
    if (firstMetricsPort != 0) {
      checkRange("--metrics-port", firstMetricsPort, nodeCount);
      if (firstMetricsPort < firstPort + nodeCount && firstPort < firstMetricsPort + nodeCount) {
        throw new ClusterException(
            "--metrics-port "
                + firstMetricsPort
                + " overlaps the client ports "
                + firstPort
                + "-"
                + (firstPort + nodeCount - 1),
            true);
      }
    }
    Path absolute = dir.toAbsolutePath();
    if (Files.exists(absolute) && !Files.isDirectory(absolute)) {
      throw new ClusterException(absolute + " is a file, not a directory", true);
    }
    if (Files.isDirectory(absolute)) {
      try (var entries = Files.list(absolute)) {
        if (entries.findAny().isPresent()) {
          throw new ClusterException(
              absolute
                  + " holds other files and no cluster: give `cluster start` an empty or new"
                  + " --data-dir",
              true);
        }
      }
    }
    Set<Integer> taken = new HashSet<>();
    List<NodePorts> nodes = new ArrayList<>();
    for (int id = 1; id <= nodeCount; id++) {
      taken.add(firstPort + id - 1);
      if (firstMetricsPort != 0) {
        taken.add(firstMetricsPort + id - 1);
      }
    }
    for (int id = 1; id <= nodeCount; id++) {
      int controllerPort;
      do {
        controllerPort = EmbeddedBroker.freePort();
      } while (!taken.add(controllerPort));
      nodes.add(
          new NodePorts(
              id,
              firstPort + id - 1,
              controllerPort,
              firstMetricsPort == 0 ? 0 : firstMetricsPort + id - 1));
    }
    LocalCluster cluster = new LocalCluster(absolute, EmbeddedBroker.newClusterId(), nodes);
    for (NodePorts node : nodes) {
      cluster.checkPortsFree(node);
    }
    try {
      Files.createDirectories(absolute);
    } catch (IOException e) {
      throw new ClusterException("Cannot create " + absolute + ": " + e.getMessage(), true);
    }
    cluster.save();
    return cluster;
  }

  private static void checkRange(String flag, int first, int count) throws ClusterException {
    if (first < 1 || first + count - 1 > 65535) {
      throw new ClusterException(
          flag
              + " must leave room for "
              + count
              + " ports between 1 and 65535 (node N gets PORT+N-1), got "
              + first,
          true);
    }
  }

  private void save() throws IOException {
    StringBuilder text =
        new StringBuilder("# A kafka-demo cluster (`cluster start`): do not edit while it runs.\n")
            .append("cluster.id=")
            .append(clusterId)
            .append("\nnodes=")
            .append(nodes.size())
            .append('\n');
    for (NodePorts node : nodes) {
      String prefix = "node." + node.id() + ".";
      text.append(prefix).append("port=").append(node.port()).append('\n');
      text.append(prefix).append("controller.port=").append(node.controllerPort()).append('\n');
      text.append(prefix).append("metrics.port=").append(node.metricsPort()).append('\n');
    }
    Path partial = dir.resolve(LAYOUT_FILE + ".partial");
    Files.writeString(partial, text, StandardCharsets.UTF_8);
    Files.move(partial, dir.resolve(LAYOUT_FILE), StandardCopyOption.ATOMIC_MOVE);
  }

  public Path dir() {
    return dir;
  }

  public String clusterId() {
    return clusterId;
  }

  public List<NodePorts> nodes() {
    return nodes;
  }

  public QuorumVoters quorum() {
    return new QuorumVoters(
        nodes.stream()
            .map(n -> new QuorumVoters.Voter(n.id(), EmbeddedBroker.HOST, n.controllerPort()))
            .toList());
  }

  public String bootstrapServers() {
    return nodes.stream().map(NodePorts::bootstrap).collect(Collectors.joining(","));
  }

  /**
   * The node with this id.
   *
   * @throws ClusterException (bad input) naming the nodes there are
   */
  public NodePorts node(int id) throws ClusterException {
    return nodes.stream()
        .filter(n -> n.id() == id)
        .findFirst()
        .orElseThrow(
            () ->
                new ClusterException(
                    "There is no node "
                        + id
                        + " in the cluster in "
                        + dir
                        + ": its nodes are 1 to "
                        + nodes.size(),
                    true));
  }

  public Path dataDir(NodePorts node) {
    return dir.resolve("node-" + node.id());
  }

  public Path log(NodePorts node) {
    return dir.resolve("node-" + node.id() + ".log");
  }

  private Path pidFile(NodePorts node) {
    return dir.resolve("node-" + node.id() + ".pid");
  }

  /** The node's running process, if it runs (checked against its command line, not just a pid). */
  public Optional<ProcessHandle> process(NodePorts node) {
    long pid;
    try {
      pid = Long.parseLong(Files.readString(pidFile(node)).trim());
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
    String dataDir = dataDir(node).toString();
    return ProcessHandle.of(pid)
        .filter(ProcessHandle::isAlive)
        .filter(p -> p.info().commandLine().map(line -> line.contains(dataDir)).orElse(true));
  }

  /** The nodes whose process runs, or whose data directory a broker holds. */
  public List<NodePorts> running() throws IOException {
    List<NodePorts> running = new ArrayList<>();
    for (NodePorts node : nodes) {
      if (process(node).isPresent() || DataDirectory.inUse(dataDir(node))) {
        running.add(node);
      }
    }
    return running;
  }

  /**
   * @throws ClusterException (bad input) naming the first of the node's ports that is taken
   */
  public void checkPortsFree(NodePorts node) throws ClusterException {
    Map<String, Integer> ports = new LinkedHashMap<>();
    ports.put("client port", node.port());
    ports.put("controller port", node.controllerPort());
    if (node.metricsPort() != 0) {
      ports.put("metrics port", node.metricsPort());
    }
    for (Map.Entry<String, Integer> port : ports.entrySet()) {
      try {
        EmbeddedBroker.ensureFree(port.getValue());
      } catch (EmbeddedBroker.PortInUseException e) {
        throw new ClusterException(
            "Node "
                + node.id()
                + "'s "
                + port.getKey()
                + " "
                + port.getValue()
                + " on "
                + EmbeddedBroker.HOST
                + " is already in use: is another broker running?"
                + (port.getKey().equals("client port") && exists(dir)
                    ? ""
                    : " Pick another --port or --metrics-port"),
            true);
      }
    }
  }

  /**
   * Starts the node's {@code broker} process in the background, its output going to its log.
   *
   * @param launcher the command that runs this program, such as {@code java -cp JAR MainClass}
   */
  public Process launch(NodePorts node, List<String> launcher) throws IOException {
    List<String> command = new ArrayList<>();
    // Its own session: a Ctrl-C or a closed terminal meant for the command that started it does
    // not reach it (setsid execs in place, so the pid stays the node's).
    if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
      command.add("/usr/bin/setsid");
    }
    command.addAll(launcher);
    command.addAll(
        List.of(
            "broker",
            "--node-id",
            String.valueOf(node.id()),
            "--port",
            String.valueOf(node.port()),
            "--controller-port",
            String.valueOf(node.controllerPort()),
            "--controller-quorum",
            quorum().toString(),
            "--cluster-id",
            clusterId,
            "--data-dir",
            dataDir(node).toString()));
    if (node.metricsPort() != 0) {
      command.addAll(List.of("--metrics-port", String.valueOf(node.metricsPort())));
    }
    try (OutputStream log =
        Files.newOutputStream(
            log(node),
            java.nio.file.StandardOpenOption.CREATE,
            java.nio.file.StandardOpenOption.APPEND)) {
      log.write(
          ("--- " + java.time.Instant.now() + " " + String.join(" ", command) + "\n")
              .getBytes(StandardCharsets.UTF_8));
    }
    Process process =
        new ProcessBuilder(command)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log(node).toFile()))
            .redirectErrorStream(true)
            .start();
    Files.writeString(pidFile(node), process.pid() + "\n");
    return process;
  }

  /**
   * Waits until each started node answers as a registered broker of the cluster, which it does once
   * the controllers have elected a leader.
   *
   * @throws ClusterException when a node stops, naming the last lines of its log
   */
  public void awaitReady(Map<NodePorts, Process> started, Duration timeout)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<NodePorts, Admin> admins = new LinkedHashMap<>();
    try {
      for (NodePorts node : started.keySet()) {
        admins.put(node, admin(node.bootstrap(), Duration.ofSeconds(2)));
      }
      Set<NodePorts> waiting = new HashSet<>(started.keySet());
      while (!waiting.isEmpty()) {
        for (NodePorts node : List.copyOf(waiting)) {
          Process process = started.get(node);
          if (!process.isAlive()) {
            throw new ClusterException(
                "Node "
                    + node.id()
                    + " stopped at start (exit "
                    + process.exitValue()
                    + "): "
                    + lastLines(log(node), 3)
                    + " Its log: "
                    + log(node),
                false);
          }
          if (registered(admins.get(node), node.id())) {
            waiting.remove(node);
          }
        }
        if (!waiting.isEmpty()) {
          if (System.nanoTime() > deadline) {
            throw new ClusterException(
                "Nodes "
                    + waiting.stream()
                        .map(n -> String.valueOf(n.id()))
                        .sorted()
                        .collect(Collectors.joining(", "))
                    + " did not become ready within "
                    + timeout.toSeconds()
                    + " s: see their logs in "
                    + dir
                    + " (a node is ready once a majority of the controllers run)",
                false);
          }
          TimeUnit.MILLISECONDS.sleep(250);
        }
      }
    } finally {
      admins.values().forEach(a -> a.close(Duration.ZERO));
    }
  }

  private static boolean registered(Admin admin, int nodeId) throws InterruptedException {
    try {
      return admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).stream()
          .anyMatch(n -> n.id() == nodeId);
    } catch (ExecutionException | TimeoutException e) {
      return false; // not listening yet
    }
  }

  private static String lastLines(Path log, int count) {
    try {
      List<String> lines =
          Files.readAllLines(log, StandardCharsets.UTF_8).stream()
              .filter(line -> !line.isBlank())
              .toList();
      return String.join(" / ", lines.subList(Math.max(0, lines.size() - count), lines.size()));
    } catch (IOException e) {
      return "(its log cannot be read: " + e.getMessage() + ")";
    }
  }

  /** SIGKILL: the node stops at once, as in a power cut; returns once it has. */
  public void kill(ProcessHandle process) throws InterruptedException {
    process.destroyForcibly();
    awaitExit(process, Duration.ofSeconds(30));
  }

  /**
   * SIGTERM to each at once (a clean shutdown: leadership moves away first), then SIGKILL to any
   * still running after the timeout.
   *
   * @return the nodes that had to be killed
   */
  public List<NodePorts> stop(Map<NodePorts, ProcessHandle> running, Duration timeout)
      throws InterruptedException {
    running.values().forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + timeout.toNanos();
    List<NodePorts> killed = new ArrayList<>();
    for (Map.Entry<NodePorts, ProcessHandle> node : running.entrySet()) {
      long left = Math.max(0, deadline - System.nanoTime());
      if (!awaitExit(node.getValue(), Duration.ofNanos(left))) {
        killed.add(node.getKey());
        kill(node.getValue());
      }
    }
    return killed;
  }

  private static boolean awaitExit(ProcessHandle process, Duration timeout)
      throws InterruptedException {
    CompletableFuture<ProcessHandle> exit = process.onExit();
    try {
      exit.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (ExecutionException e) {
      return !process.isAlive();
    } catch (TimeoutException e) {
      return false;
    }
  }

  /** A node as {@code cluster status} shows it. */
  public record NodeStatus(
      NodePorts node,
      Long pid,
      boolean answering,
      int partitionsLed,
      int underReplicatedLed,
      boolean quorumLeader) {
    public boolean up() {
      return pid != null;
    }
  }

  /** The whole cluster as {@code cluster status} shows it. */
  public record Status(
      List<NodeStatus> nodes, boolean reachable, int underReplicated, int underMinIsr) {}

  /** Each node's process and, from the cluster's metadata, what it leads and what lags. */
  public Status status(Duration timeout) throws InterruptedException {
    Map<Integer, int[]> led = new LinkedHashMap<>();
    Set<Integer> answering = new HashSet<>();
    int quorumLeader = -1;
    int underReplicated = 0;
    int underMinIsr = 0;
    boolean reachable = false;
    List<NodePorts> up = nodes.stream().filter(n -> process(n).isPresent()).toList();
    if (!up.isEmpty()) {
      String bootstrap = up.stream().map(NodePorts::bootstrap).collect(Collectors.joining(","));
      try (Admin admin = admin(bootstrap, timeout)) {
        long ms = timeout.toMillis();
        for (Node n : admin.describeCluster().nodes().get(ms, TimeUnit.MILLISECONDS)) {
          answering.add(n.id());
        }
        Set<String> topics =
            admin
                .listTopics(
                    new org.apache.kafka.clients.admin.ListTopicsOptions().listInternal(true))
                .names()
                .get(ms, TimeUnit.MILLISECONDS);
        Map<String, TopicDescription> described =
            admin.describeTopics(topics).allTopicNames().get(ms, TimeUnit.MILLISECONDS);
        int minIsr = quorum().minInsyncReplicas();
        for (TopicDescription topic : described.values()) {
          for (TopicPartitionInfo partition : topic.partitions()) {
            boolean lagging = partition.isr().size() < partition.replicas().size();
            underReplicated += lagging ? 1 : 0;
            underMinIsr +=
                partition.isr().size() < Math.min(minIsr, partition.replicas().size()) ? 1 : 0;
            if (partition.leader() != null && !partition.leader().isEmpty()) {
              int[] counts = led.computeIfAbsent(partition.leader().id(), id -> new int[2]);
              counts[0]++;
              counts[1] += lagging ? 1 : 0;
            }
          }
        }
        try {
          quorumLeader =
              admin.describeMetadataQuorum().quorumInfo().get(ms, TimeUnit.MILLISECONDS).leaderId();
        } catch (ExecutionException | TimeoutException e) {
          quorumLeader = -1; // no leader: fewer than a majority of the controllers run
        }
        reachable = true;
      } catch (ExecutionException | TimeoutException e) {
        reachable = false;
      }
    }
    List<NodeStatus> statuses = new ArrayList<>();
    for (NodePorts node : nodes) {
      Optional<ProcessHandle> process = process(node);
      int[] counts = led.getOrDefault(node.id(), new int[2]);
      statuses.add(
          new NodeStatus(
              node,
              process.map(ProcessHandle::pid).orElse(null),
              answering.contains(node.id()),
              counts[0],
              counts[1],
              node.id() == quorumLeader));
    }
    return new Status(statuses, reachable, underReplicated, underMinIsr);
  }

  private static Admin admin(String bootstrap, Duration timeout) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, "kafka-demo-cluster");
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
    return Admin.create(props);
  }
}
