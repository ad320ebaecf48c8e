package dev.kafkademo.cli;

import dev.kafkademo.Defaults;
import dev.kafkademo.broker.EmbeddedBroker;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.common.utils.internals.AppInfoParser;
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
      "Run a real single-node Apache Kafka broker (KRaft mode) in this process, on 127.0.0.1.",
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

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (port < 1 || port > 65535) {
      throw new ParameterException(
          spec.commandLine(), "--port must be between 1 and 65535, got " + port);
    }
    if (partitions < 1) {
      throw new ParameterException(
          spec.commandLine(), "--partitions must be at least 1, got " + partitions);
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    CountDownLatch stopRequested = new CountDownLatch(1);
    try (ShutdownSignal stop = ShutdownSignal.install(stopRequested::countDown)) {
      try (EmbeddedBroker broker = start()) {
        out.printf(
            "Kafka %s broker ready at %s (KRaft, data in %s%s). Press Ctrl-C to stop.%n",
            AppInfoParser.getVersion(),
            broker.bootstrapServers(),
            broker.dataDir(),
            broker.temporaryDataDir() ? ", removed on exit" : "");
        out.flush();
        stopRequested.await();
        err.println("Stopping the broker...");
      }
      err.println("Broker stopped.");
    }
    return ExitCodes.OK;
  }

  private EmbeddedBroker start() throws IOException {
    try {
      return EmbeddedBroker.start(new EmbeddedBroker.Settings(port, dataDir, partitions, true));
    } catch (EmbeddedBroker.PortInUseException e) {
      throw new CliException(
          e.getMessage()
              + ": is another broker (or the Docker stack) running? Stop it or pick another --port.",
          ExitCodes.FAILURE,
          e);
    }
  }
}
