package dev.kafkademo.cli.commands;

import dev.kafkademo.Defaults;
import dev.kafkademo.KafkaDemo;
import dev.kafkademo.broker.LocalCluster;
import dev.kafkademo.broker.LocalCluster.NodePorts;
import dev.kafkademo.cli.CliException;
import dev.kafkademo.cli.ExitCodes;
import dev.kafkademo.kafka.KafkaVersion;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "cluster",
    mixinStandardHelpOptions = true,
    description = {
      "A multi-node KRaft cluster on this machine: each node a `broker` process of its own, a"
          + " broker and a controller, started in the background with its data and log in"
          + " --data-dir. With 3 or more nodes, topics get 3 replicas and min.insync.replicas 2,"
          + " internal topics too, as in docker-compose.cluster.yml.",
      "Try failures with `cluster kill NODE` (SIGKILL) or `cluster stop NODE` (a clean stop), then"
          + " `cluster start-node NODE`; `cluster status` shows what each node leads and what lags."
    })
public final class ClusterCommand {
  static final String DEFAULT_DIR = "kafka-demo-cluster";

  /** A node needs this long at most to start while the others start on the same cores. */
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);

  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(120);

  @Spec CommandSpec spec;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      defaultValue = DEFAULT_DIR,
      scope = picocli.CommandLine.ScopeType.INHERIT,
      description =
          "The cluster's directory: its layout, each node's data and log (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Command(
      name = "start",
      mixinStandardHelpOptions = true,
      description = {
        "Start a cluster: node N on client port PORT+N-1 (and metrics port METRICS-PORT+N-1),"
            + " controller ports chosen free. Returns once every node is ready and the controllers"
            + " have a leader; prints the bootstrap list on stdout.",
        "On a --data-dir that holds a stopped cluster, starts its nodes again on their data."
      })
  int start(
      @Option(
              names = "--nodes",
              paramLabel = "N",
              defaultValue = "3",
              description = "How many nodes (1 to 9; default: ${DEFAULT-VALUE}).")
          int nodeCount,
      @Option(
              names = "--port",
              paramLabel = "PORT",
              defaultValue = "" + Defaults.BROKER_PORT,
              description =
                  "Node 1's client port; node N gets PORT+N-1 (default: ${DEFAULT-VALUE}).")
          int port,
      @Option(
              names = "--metrics-port",
              paramLabel = "PORT",
              description = {
                "Serve each node's metrics for Prometheus, node N at"
                    + " http://127.0.0.1:(PORT+N-1)/metrics (monitoring/targets/ lists 7071-7073)."
              })
          Integer metricsPort)
      throws IOException, InterruptedException {
    LocalCluster cluster;
    boolean restart = LocalCluster.exists(dataDir);
    if (restart) {
      cluster = open();
      refuseChangedLayout(cluster, nodeCount, port, metricsPort);
      List<NodePorts> running = cluster.running();
      if (!running.isEmpty()) {
        throw CliException.badInput(
            "The cluster in "
                + cluster.dir()
                + " is running (nodes "
                + ids(running)
                + "): see `cluster status`, or stop it with `cluster stop`",
            null);
      }
      for (NodePorts node : cluster.nodes()) {
        cluster.checkPortsFree(node);
      }
    } else {
      cluster = translate(() -> LocalCluster.create(dataDir, nodeCount, port, orZero(metricsPort)));
    }
    PrintWriter err = spec.commandLine().getErr();
    err.printf(
        "%s a %d-node Kafka %s cluster (KRaft, each node a broker and a controller) in %s...%n",
        restart ? "Starting again" : "Starting",
        cluster.nodes().size(),
        KafkaVersion.clients(),
        cluster.dir());
    err.flush();
    Map<NodePorts, Process> started = new LinkedHashMap<>();
    for (NodePorts node : cluster.nodes()) {
      started.put(node, cluster.launch(node, launcher()));
    }
    try {
      translate(
          () -> {
            cluster.awaitReady(started, READY_TIMEOUT);
            return null;
          });
    } catch (CliException e) {
      // Nothing half-started is left behind.
      Map<NodePorts, ProcessHandle> alive = new LinkedHashMap<>();
      started.forEach((node, process) -> alive.put(node, process.toHandle()));
      cluster.stop(alive, Duration.ofSeconds(30));
      throw e;
    }
    for (NodePorts node : cluster.nodes()) {
      err.printf(
          "  node %d  %s%s  log %s%n",
          node.id(),
          node.bootstrap(),
          node.metricsUrl() == null ? "" : "  metrics " + node.metricsUrl(),
          cluster.log(node));
    }
    int replicas = cluster.quorum().replicationFactor();
    err.printf(
        "Ready: cluster id %s. New topics get %d %s and min.insync.replicas %d. Stop it with:"
            + " kafka-demo cluster stop --data-dir %s%n",
        cluster.clusterId(),
        replicas,
        replicas == 1 ? "replica" : "replicas",
        cluster.quorum().minInsyncReplicas(),
        dataDir);
    spec.commandLine().getOut().println(cluster.bootstrapServers());
    return ExitCodes.OK;
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = {
        "Each node: up or down, how many partitions it leads and how many of those are"
            + " under-replicated, and which node leads the controllers.",
        "Exit 0 when every node is up and every partition fully in sync, else 1."
      })
  int status() throws IOException, InterruptedException {
    LocalCluster cluster = open();
    LocalCluster.Status status = cluster.status(Duration.ofSeconds(10));
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        "Cluster %s: %d nodes, data in %s%n",
        cluster.clusterId(), cluster.nodes().size(), cluster.dir());
    out.println("NODE  ADDRESS          STATE  PID      LEADS  UNDER-REPLICATED  CONTROLLER");
    for (LocalCluster.NodeStatus node : status.nodes()) {
      String state = !node.up() ? "down" : node.answering() ? "up" : "starting";
      boolean known = node.up() && status.reachable();
      out.printf(
          Locale.ROOT,
          "%-5d %-16s %-6s %-8s %-6s %-17s %s%n",
          node.node().id(),
          node.node().bootstrap(),
          state,
          node.up() ? node.pid() : "-",
          known ? String.valueOf(node.partitionsLed()) : "-",
          known ? String.valueOf(node.underReplicatedLed()) : "-",
          node.quorumLeader() ? "leader" : node.up() ? "voter" : "-");
    }
    long down = status.nodes().stream().filter(n -> !n.up()).count();
    if (down == cluster.nodes().size()) {
      out.println("Every node is down: `cluster start --data-dir " + dataDir + "` starts them.");
      return ExitCodes.FAILURE;
    }
    if (!status.reachable()) {
      out.println(
          "The cluster did not answer within 10 s: with fewer than a majority of the"
              + " controllers up, it cannot elect a leader.");
      return ExitCodes.FAILURE;
    }
    out.printf(
        Locale.ROOT,
        "Under-replicated partitions: %d%s%n",
        status.underReplicated(),
        status.underMinIsr() > 0
            ? "; "
                + status.underMinIsr()
                + " with fewer in sync than min.insync.replicas refuse acks=all writes"
            : "");
    if (status.nodes().stream().noneMatch(LocalCluster.NodeStatus::quorumLeader)) {
      out.println("The controllers have no leader: fewer than a majority of them are up.");
    }
    return down == 0 && status.underReplicated() == 0 ? ExitCodes.OK : ExitCodes.FAILURE;
  }

  @Command(
      name = "stop",
      mixinStandardHelpOptions = true,
      description = {
        "Stop the cluster's nodes cleanly (SIGTERM: each hands its partitions' leadership over"
            + " first), or only the nodes named. Their data stays for `cluster start`."
      })
  int stop(
      @Parameters(
              paramLabel = "NODE",
              arity = "0..*",
              description = "Only these nodes (default: all).")
          List<Integer> only)
      throws IOException, InterruptedException {
    LocalCluster cluster = open();
    Map<NodePorts, ProcessHandle> running = new LinkedHashMap<>();
    List<NodePorts> chosen = new ArrayList<>();
    if (only == null || only.isEmpty()) {
      chosen.addAll(cluster.nodes());
    } else {
      for (int id : only) {
        chosen.add(translate(() -> cluster.node(id)));
      }
    }
    for (NodePorts node : chosen) {
      cluster.process(node).ifPresent(process -> running.put(node, process));
    }
    PrintWriter err = spec.commandLine().getErr();
    if (running.isEmpty()) {
      err.println(
          (only == null || only.isEmpty() ? "No node" : "None of those nodes")
              + " of the cluster in "
              + cluster.dir()
              + " is running.");
      return ExitCodes.OK;
    }
    err.printf("Stopping node%s %s...%n", running.size() == 1 ? "" : "s", ids(running.keySet()));
    err.flush();
    List<NodePorts> killed = cluster.stop(running, STOP_TIMEOUT);
    if (!killed.isEmpty()) {
      err.printf(
          "warning: node%s %s did not stop within %d s and %s killed (SIGKILL)%n",
          killed.size() == 1 ? "" : "s",
          ids(killed),
          STOP_TIMEOUT.toSeconds(),
          killed.size() == 1 ? "was" : "were");
    }
    err.printf(
        "Stopped node%s %s; the data stays in %s.%n",
        running.size() == 1 ? "" : "s", ids(running.keySet()), cluster.dir());
    return ExitCodes.OK;
  }

  @Command(
      name = "kill",
      mixinStandardHelpOptions = true,
      description = {
        "SIGKILL one node, as a crash or a power cut would: no clean shutdown. The others elect"
            + " new leaders for its partitions; `cluster start-node NODE` brings it back."
      })
  int kill(@Parameters(paramLabel = "NODE", description = "The node's id.") int id)
      throws IOException, InterruptedException {
    LocalCluster cluster = open();
    NodePorts node = translate(() -> cluster.node(id));
    ProcessHandle process = running(cluster, node);
    cluster.kill(process);
    spec.commandLine()
        .getErr()
        .printf(
            "Killed node %d (pid %d, SIGKILL); `cluster start-node %d --data-dir %s` brings it back"
                + " on its data.%n",
            id, process.pid(), id, dataDir);
    return ExitCodes.OK;
  }

  @Command(
      name = "start-node",
      mixinStandardHelpOptions = true,
      description =
          "Start one stopped or killed node again on its data; it catches up from the others"
              + " (`cluster status` shows when nothing is under-replicated).")
  int startNode(@Parameters(paramLabel = "NODE", description = "The node's id.") int id)
      throws IOException, InterruptedException {
    LocalCluster cluster = open();
    NodePorts node = translate(() -> cluster.node(id));
    if (cluster.running().contains(node)) {
      throw CliException.badInput("Node " + id + " is running already: see `cluster status`", null);
    }
    translate(
        () -> {
          cluster.checkPortsFree(node);
          return null;
        });
    Process process = cluster.launch(node, launcher());
    translate(
        () -> {
          cluster.awaitReady(Map.of(node, process), READY_TIMEOUT);
          return null;
        });
    spec.commandLine()
        .getErr()
        .printf(
            "Node %d is back at %s (pid %d), catching up from the others.%n",
            id, node.bootstrap(), process.pid());
    return ExitCodes.OK;
  }

  private LocalCluster open() throws IOException {
    try {
      return LocalCluster.open(dataDir);
    } catch (LocalCluster.ClusterException e) {
      throw translated(e);
    }
  }

  private static ProcessHandle running(LocalCluster cluster, NodePorts node) {
    Optional<ProcessHandle> process = cluster.process(node);
    if (process.isEmpty()) {
      throw CliException.badInput(
          "Node " + node.id() + " is not running: see `cluster status`", null);
    }
    return process.get();
  }

  /** Flags given for a cluster that exists must be the ones it was made with. */
  private void refuseChangedLayout(
      LocalCluster cluster, int nodeCount, int port, Integer metricsPort) {
    var parsed = spec.commandLine().getParseResult().subcommand();
    NodePorts first = cluster.nodes().get(0);
    List<String> differ = new ArrayList<>();
    if (parsed.hasMatchedOption("--nodes") && nodeCount != cluster.nodes().size()) {
      differ.add("--nodes " + cluster.nodes().size());
    }
    if (parsed.hasMatchedOption("--port") && port != first.port()) {
      differ.add("--port " + first.port());
    }
    if (metricsPort != null && metricsPort != first.metricsPort()) {
      differ.add(
          first.metricsPort() == 0 ? "no --metrics-port" : "--metrics-port " + first.metricsPort());
    }
    if (!differ.isEmpty()) {
      throw CliException.badInput(
          "The cluster in "
              + cluster.dir()
              + " was made with "
              + String.join(", ", differ)
              + ": leave those flags out to start it again, or give a new --data-dir",
          null);
    }
  }

  /** {@code java -cp THIS_CLASSPATH dev.kafkademo.KafkaDemo}, with this JVM's java. */
  private static List<String> launcher() {
    return List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xms256m",
        "-Xmx1g",
        "-cp",
        System.getProperty("java.class.path"),
        KafkaDemo.class.getName());
  }

  private static int orZero(Integer port) {
    return port == null ? 0 : port;
  }

  private static String ids(java.util.Collection<NodePorts> nodes) {
    return nodes.stream().map(n -> String.valueOf(n.id())).collect(Collectors.joining(", "));
  }

  private interface ClusterCall<T> {
    T call() throws IOException, InterruptedException;
  }

  /** The cluster's own exceptions as one line: exit 2 for bad input, else 1. */
  private static <T> T translate(ClusterCall<T> call) throws IOException, InterruptedException {
    try {
      return call.call();
    } catch (LocalCluster.ClusterException e) {
      throw translated(e);
    }
  }

  private static CliException translated(LocalCluster.ClusterException e) {
    return new CliException(e.getMessage(), e.badInput() ? ExitCodes.USAGE : ExitCodes.FAILURE, e);
  }
}
