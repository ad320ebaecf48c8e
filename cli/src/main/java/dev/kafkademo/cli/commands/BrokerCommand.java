package dev.kafkademo.cli.commands;

import dev.kafkademo.Defaults;
import dev.kafkademo.broker.EmbeddedBroker;
import dev.kafkademo.broker.QuorumVoters;
import dev.kafkademo.broker.TlsFiles;
import dev.kafkademo.cli.CliException;
import dev.kafkademo.cli.ExitCodes;
import dev.kafkademo.cli.ShutdownSignal;
import dev.kafkademo.kafka.KafkaVersion;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
    name = "broker",
    sortOptions = false,
    mixinStandardHelpOptions = true,
    description = {
      "Run a real Apache Kafka broker (KRaft mode) in this process, on 127.0.0.1: a cluster of its"
          + " own, or with --node-id one node of a multi-node cluster.",
      "Prints one line once clients can connect; Ctrl-C stops it."
    })
public final class BrokerCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      defaultValue = "" + Defaults.BROKER_PORT,
      description = "Client port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "Keep the data here, so it survives a restart (default: a temporary directory removed on exit).")
  Path dataDir;

  @Option(
      names = "--partitions",
      paramLabel = "N",
      defaultValue = "" + Defaults.PARTITIONS,
      description = "Partitions of automatically created topics (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Option(
      names = "--sasl-users",
      paramLabel = "USER:PASSWORD",
      split = ",",
      description = {
        "Require authentication on the port (SASL_PLAINTEXT with PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512)"
            + " for these users, e.g. --sasl-users alice:secret,bob:pw."
      })
  List<String> saslUsers = new ArrayList<>();

  @Option(
      names = "--tls",
      description = {
        "Serve the client port over TLS (SASL_SSL with --sasl-users). A CA and a certificate for"
            + " localhost and 127.0.0.1 are made on first use; clients trust ca.pem, and"
            + " client.properties beside it has their settings."
      })
  boolean tls;

  @Option(
      names = "--tls-dir",
      paramLabel = "DIR",
      description =
          "Where the certificates are made and kept (default: beside the data directory, its name"
              + " with -tls after it; Kafka allows nothing else inside). An"
              + " existing one is reused, so clients keep trusting the broker across restarts.")
  Path tlsDir;

  @Option(
      names = "--tls-client-auth",
      description = {
        "Mutual TLS: clients must show a certificate signed by the broker's CA (client.pem and"
            + " client.key are made for them); its CN is their principal, User:client, for ACLs."
      })
  boolean tlsClientAuth;

  @Option(
      names = "--node-id",
      paramLabel = "N",
      description = {
        "This broker is node N of a multi-node KRaft cluster (each node a broker and a controller);"
            + " goes with --controller-quorum and --cluster-id. `cluster start` runs such nodes."
      })
  Integer nodeId;

  @Option(
      names = "--controller-port",
      paramLabel = "PORT",
      description =
          "Where this node's controller listens (default: its entry in --controller-quorum).")
  Integer controllerPort;

  @Option(
      names = "--controller-quorum",
      paramLabel = "ID@HOST:PORT,...",
      description = {
        "Every controller of the cluster, the same on each node, in Kafka's"
            + " controller.quorum.voters form, e.g. 1@127.0.0.1:19092,2@127.0.0.1:19093,3@127.0.0.1:19094."
            + " With 3 or more, topics get replication factor 3 and min.insync.replicas 2."
      })
  String controllerQuorum;

  @Option(
      names = "--cluster-id",
      paramLabel = "ID",
      description = {
        "The cluster id every node's storage is formatted with (22 characters, as"
            + " `kafka-storage.sh random-uuid` prints)."
      })
  String clusterId;

  @Option(
      names = "--metrics-port",
      paramLabel = "PORT",
      description = {
        "Serve the broker's metrics for Prometheus at http://127.0.0.1:PORT/metrics (Prometheus'"
            + " JMX exporter over Kafka's own MBeans)."
      })
  Integer metricsPort;

  @Option(
      names = "--make-certificates",
      description = {
        "Only make the certificates and client.properties in --tls-dir, then exit: for a broker"
            + " of your own, such as the Compose stack's (scripts/secure-compose.sh)."
      })
  boolean makeCertificates;

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (port < 1 || port > 65535) {
      throw new ParameterException(
          spec.commandLine(), "--port must be between 1 and 65535, got " + port);
    }
    if (dataDir != null && dataDir.toString().isBlank()) {
      throw new ParameterException(
          spec.commandLine(), "--data-dir needs a directory; leave it out for a temporary one");
    }
    if (partitions < 1) {
      throw new ParameterException(
          spec.commandLine(), "--partitions must be at least 1, got " + partitions);
    }
    if (makeCertificates) {
      return makeCertificates();
    }
    if (metricsPort != null && (metricsPort < 1 || metricsPort > 65535 || metricsPort == port)) {
      throw new ParameterException(
          spec.commandLine(),
          "--metrics-port must be between 1 and 65535 and not the client port, got " + metricsPort);
    }
    EmbeddedBroker.ClusterNode node = clusterNode();
    if ((tlsDir != null || tlsClientAuth) && !tls) {
      throw new ParameterException(
          spec.commandLine(), "--tls-dir and --tls-client-auth go with --tls");
    }
    Map<String, String> users = parseUsers();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    CountDownLatch stopRequested = new CountDownLatch(1);
    try (ShutdownSignal stop = ShutdownSignal.install(stopRequested::countDown)) {
      try (EmbeddedBroker broker = start(users, node)) {
        out.printf(
            "Kafka %s broker ready at %s (KRaft%s, data in %s%s). Press Ctrl-C to stop.%n",
            KafkaVersion.clients(),
            broker.bootstrapServers(),
            node == null
                ? ""
                : " node " + node.nodeId() + " of a " + node.quorum().size() + "-node cluster",
            broker.dataDir(),
            broker.temporaryDataDir() ? ", removed on exit" : "");
        if (broker.metricsUrl() != null) {
          out.printf("Metrics for Prometheus at %s%n", broker.metricsUrl());
        }
        if (!users.isEmpty()) {
          out.printf(
              "Clients must authenticate: security.protocol=%s, sasl.mechanism one of %s, users %s%n",
              tls ? "SASL_SSL" : "SASL_PLAINTEXT",
              String.join(", ", EmbeddedBroker.SASL_MECHANISMS),
              String.join(", ", users.keySet()));
        }
        if (broker.tls() != null) {
          describeTls(out, broker.tls());
        }
        out.flush();
        stopRequested.await();
        err.println("Stopping the broker...");
      }
      err.println("Broker stopped.");
    }
    return ExitCodes.OK;
  }

  /** --make-certificates: the files a TLS broker makes, without the broker. */
  private int makeCertificates() throws IOException {
    if (tlsDir == null) {
      throw new ParameterException(
          spec.commandLine(), "--make-certificates needs --tls-dir: where to write them");
    }
    TlsFiles files = TlsFiles.prepare(tlsDir, tlsClientAuth);
    files.writeClientProperties(saslUsers.isEmpty() ? "SSL" : "SASL_SSL");
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        "Made in %s: %s (clients trust it), %s (the broker's key and certificate, for localhost"
            + " and 127.0.0.1, valid until %s), %s%s%n",
        files.dir(),
        TlsFiles.CA,
        TlsFiles.BROKER_KEYSTORE,
        files.brokerExpiry().toString().substring(0, 10),
        TlsFiles.CLIENT_PROPERTIES,
        tlsClientAuth ? ", and the client certificate " + TlsFiles.CLIENT_CERT : "");
    return ExitCodes.OK;
  }

  private static void describeTls(PrintWriter out, TlsFiles files) throws IOException {
    out.printf(
        "TLS: clients trust %s (the broker's certificate, for localhost and 127.0.0.1, is valid"
            + " until %s); their settings are in %s%n",
        files.ca(), files.brokerExpiry().toString().substring(0, 10), files.clientProperties());
    if (files.clientAuth()) {
      out.printf(
          "Clients must show a certificate: %s with its key %s (principal User:%s)%n",
          files.dir().resolve(TlsFiles.CLIENT_CERT),
          files.dir().resolve(TlsFiles.CLIENT_KEY),
          TlsFiles.CLIENT_NAME);
    }
  }

  /** USER:PASSWORD pairs; the password may itself contain colons. */
  private Map<String, String> parseUsers() {
    Map<String, String> users = new LinkedHashMap<>();
    for (String pair : saslUsers) {
      int colon = pair.indexOf(':');
      String name = colon < 0 ? "" : pair.substring(0, colon);
      if (colon < 1 || colon == pair.length() - 1 || !name.matches("[A-Za-z0-9._-]+")) {
        // Not echoing the value: it may hold a password.
        throw new ParameterException(
            spec.commandLine(),
            "--sasl-users takes USER:PASSWORD pairs separated by commas, with letters, digits, '.', '_' or '-' in user names");
      }
      users.put(name, pair.substring(colon + 1));
    }
    return users;
  }

  private String portFlag(int taken, EmbeddedBroker.ClusterNode node) {
    if (metricsPort != null && taken == metricsPort) {
      return "--metrics-port";
    }
    return node != null && taken == node.controllerPort() ? "--controller-port" : "--port";
  }

  /** --node-id and the flags that go with it, checked; null for a single node. */
  private EmbeddedBroker.ClusterNode clusterNode() {
    if (nodeId == null) {
      if (controllerPort != null || controllerQuorum != null || clusterId != null) {
        throw new ParameterException(
            spec.commandLine(),
            "--controller-port, --controller-quorum and --cluster-id go with --node-id");
      }
      return null;
    }
    if (controllerQuorum == null || clusterId == null) {
      throw new ParameterException(
          spec.commandLine(),
          "--node-id needs --controller-quorum (every controller, ID@HOST:PORT,...) and"
              + " --cluster-id (the same on every node)");
    }
    try {
      QuorumVoters quorum = QuorumVoters.parse(controllerQuorum);
      QuorumVoters.Voter own = quorum.voter(nodeId);
      int ownPort = controllerPort != null ? controllerPort : own == null ? 0 : own.port();
      return new EmbeddedBroker.ClusterNode(nodeId, ownPort, quorum, clusterId);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private EmbeddedBroker start(Map<String, String> users, EmbeddedBroker.ClusterNode node)
      throws IOException {
    try {
      return EmbeddedBroker.start(
          EmbeddedBroker.Settings.ephemeral()
              .withPort(port)
              .withClusterNode(node)
              .withMetricsPort(metricsPort == null ? 0 : metricsPort)
              .withDataDir(dataDir)
              .withDefaultPartitions(partitions)
              .withSaslUsers(users)
              .withTls(tls ? new EmbeddedBroker.Tls(tlsDir, tlsClientAuth) : null));
    } catch (EmbeddedBroker.DataDirectoryException e) {
      throw new CliException(e.getMessage(), e.inUse() ? ExitCodes.FAILURE : ExitCodes.USAGE, e);
    } catch (EmbeddedBroker.PortInUseException e) {
      throw new CliException(
          e.getMessage()
              + ": is another broker (or the Docker stack) running? Stop it or pick another "
              + portFlag(e.port(), node)
              + ".",
          ExitCodes.FAILURE,
          e);
    }
  }
}
