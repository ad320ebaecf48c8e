package dev.kafkademo.cli.commands;

import dev.kafkademo.Defaults;
import dev.kafkademo.cli.CliException;
import dev.kafkademo.cli.ExitCodes;
import dev.kafkademo.cli.LocalPorts;
import dev.kafkademo.cli.ShutdownSignal;
import dev.kafkademo.cli.options.ClientKind;
import dev.kafkademo.cli.options.ConnectionOptions;
import dev.kafkademo.cli.options.KafkaNames;
import dev.kafkademo.cli.output.ProgressTicker;
import dev.kafkademo.connect.ConnectClient;
import dev.kafkademo.connect.ConnectWorker;
import dev.kafkademo.kafka.admin.Cluster;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
    name = "connect",
    sortOptions = false,
    mixinStandardHelpOptions = true,
    description = {
      "Run a Kafka Connect worker (distributed mode) with the Debezium PostgreSQL source and JDBC"
          + " sink connectors, its REST API on 127.0.0.1.",
      "Workers with the same --group form one Connect cluster and share the tasks. Manage"
          + " connectors with 'kafka-demo connectors'; Ctrl-C stops the worker cleanly."
    })
public final class ConnectCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ConnectionOptions connection;

  @Option(
      names = {"-g", "--group"},
      paramLabel = "GROUP",
      defaultValue = Defaults.CONNECT_GROUP,
      converter = KafkaNames.Group.class,
      description =
          "The Connect cluster's group; its topics are GROUP-configs, -offsets and -status"
              + " (default: ${DEFAULT-VALUE}).")
  String group;

  @Option(
      names = "--rest-port",
      paramLabel = "PORT",
      defaultValue = "" + Defaults.CONNECT_PORT,
      description = "The REST API's port (default: ${DEFAULT-VALUE}).")
  int restPort;

  @Option(
      names = "--rest-host",
      paramLabel = "ADDRESS",
      defaultValue = "127.0.0.1",
      description =
          "Where the REST API listens (default: ${DEFAULT-VALUE}; 0.0.0.0 in a container).")
  String restHost;

  @Override
  public Integer call() throws InterruptedException {
    if (restPort < 1 || restPort > 65535) {
      throw new ParameterException(
          spec.commandLine(), "--rest-port must be between 1 and 65535, got " + restPort);
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Properties props =
        connection.clientProperties(
            Map.of(), Map.of(), ClientKind.ADMIN, ClientKind.PRODUCER, ClientKind.CONSUMER);
    try (Cluster cluster = Cluster.connect(props, connection.timeout())) {
      // Checked here: Connect itself would retry for minutes, then end the JVM.
      requireAccessToInternalTopics(cluster);
    }
    LocalPorts.requireFree(
        restHost,
        restPort,
        "The REST port "
            + restHost
            + ":"
            + restPort
            + " is in use (another connect, or the Compose stack?): stop it or pick another --rest-port");
    ConnectWorker.Settings settings = new ConnectWorker.Settings(group, restHost, restPort);
    CountDownLatch stopRequested = new CountDownLatch(1);
    try (ShutdownSignal stop = ShutdownSignal.install(stopRequested::countDown)) {
      ConnectWorker worker;
      try {
        worker = ConnectWorker.start(ConnectWorker.config(props, settings));
      } catch (ConnectWorker.StartFailed e) {
        throw new CliException(
            "Kafka Connect did not start: " + e.getMessage(), ExitCodes.FAILURE, e);
      }
      try (worker) {
        String url =
            "http://" + (restHost.equals("0.0.0.0") ? "localhost" : restHost) + ":" + restPort;
        ConnectClient client = new ConnectClient(url, connection.timeout());
        List<String> plugins = awaitReady(client, stop);
        try (Cluster cluster = Cluster.connect(props, connection.timeout())) {
          requireAccessToInternalTopics(cluster); // made by the worker on its first start
        }
        out.printf(
            "Kafka Connect worker ready in group %s, REST API on %s. Connectors: %s. Press Ctrl-C to stop.%n",
            group, url, String.join(", ", plugins));
        out.flush();
        Map<String, String> states = new java.util.HashMap<>();
        try (ProgressTicker watch =
            ProgressTicker.every(Duration.ofSeconds(1), () -> reportChanges(client, states, err))) {
          stopRequested.await();
        }
        err.println("Stopping the worker: tasks commit their offsets...");
        err.flush();
      }
      err.println("Worker stopped.");
    }
    return ExitCodes.OK;
  }

  /**
   * The worker reads and writes its group's topics; where the ACLs refuse that, Connect's herder
   * thread only logs it and ends, leaving a worker that answers but does nothing. Said here, as one
   * line that names the topic.
   */
  private void requireAccessToInternalTopics(Cluster cluster) {
    for (String topic : ConnectWorker.internalTopics(group)) {
      cluster
          .topics()
          .requireAllowed(
              topic,
              List.of(
                  org.apache.kafka.common.acl.AclOperation.READ,
                  org.apache.kafka.common.acl.AclOperation.WRITE));
    }
  }

  /**
   * One line per connector or task whose state changed since last time, with the first line of a
   * failure's reason: what the worker's log would bury in stack traces.
   */
  static void reportChanges(ConnectClient client, Map<String, String> states, PrintWriter err) {
    Map<String, String> now = new java.util.LinkedHashMap<>();
    try {
      for (ConnectClient.Status status : client.statuses()) {
        now.put("connector " + status.name(), state(status.connector()));
        for (ConnectClient.State task : status.tasks()) {
          now.put("connector " + status.name() + " task " + task.id(), state(task));
        }
      }
    } catch (ConnectClient.ConnectException e) {
      return; // a rebalance or a connector deleted meanwhile: ask again next time
    }
    now.forEach(
        (what, state) -> {
          if (!state.equals(states.get(what))) {
            err.println(what + ": " + state);
          }
        });
    states.keySet().stream()
        .filter(what -> !now.containsKey(what))
        .forEach(what -> err.println(what + ": removed"));
    states.clear();
    states.putAll(now);
    err.flush();
  }

  private static String state(ConnectClient.State status) {
    return status.trace() == null
        ? status.state()
        : status.state() + " (" + status.trace().lines().findFirst().orElse("").strip() + ")";
  }

  /** The connector classes, once the worker has joined its group and answers. */
  private static List<String> awaitReady(ConnectClient client, ShutdownSignal stop)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (true) {
      try {
        client.statuses(); // answers once the herder has joined the group and read its configs
        List<String> classes = new ArrayList<>();
        client.plugins().forEach(plugin -> classes.add(simpleName(plugin.className())));
        return classes;
      } catch (ConnectClient.ConnectException e) {
        if (stop.requested() || System.nanoTime() > deadline) {
          throw new CliException("Kafka Connect did not become ready: " + e.getMessage());
        }
        Thread.sleep(200); // polling the worker's own REST API until it answers
      }
    }
  }

  private static String simpleName(String className) {
    return className.substring(className.lastIndexOf('.') + 1);
  }
}
