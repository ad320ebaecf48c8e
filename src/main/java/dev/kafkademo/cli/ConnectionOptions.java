package dev.kafkademo.cli;

import dev.kafkademo.Defaults;
import dev.kafkademo.kafka.ClientProperties;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import picocli.CommandLine.Option;

/** How a command reaches the cluster: shared by every command that is a Kafka client. */
public final class ConnectionOptions {
  @Option(
      names = {"-b", "--bootstrap-server"},
      paramLabel = "HOST:PORT",
      description =
          "Broker address. Default: $"
              + Defaults.BOOTSTRAP_SERVERS_ENV
              + ", else "
              + Defaults.BOOTSTRAP_SERVERS
              + ".")
  String bootstrapServer;

  @Option(
      names = "--command-config",
      paramLabel = "FILE",
      description =
          "Client properties file, as for the Kafka tools (security settings and any other client property).")
  Path commandConfig;

  @Option(
      names = "-X",
      paramLabel = "KEY=VALUE",
      description =
          "Any client property, e.g. -X linger.ms=20. Wins over the flags and --command-config.")
  Map<String, String> overrides = new LinkedHashMap<>();

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "10s",
      description =
          "How long to wait for the broker to answer before giving up (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  public Duration timeout() {
    return timeout;
  }

  /**
   * The client properties: {@code defaults}, then the {@code --command-config} file, then {@code
   * flags} and {@code --bootstrap-server}, then {@code -X}. The address falls back to the
   * environment variable, then to {@code localhost:9092}, only when nothing else names one.
   */
  public Properties clientProperties(Map<String, String> defaults, Map<String, String> flags) {
    Map<String, String> base = new HashMap<>(defaults);
    String fromEnv = System.getenv(Defaults.BOOTSTRAP_SERVERS_ENV);
    base.put(
        CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
        fromEnv != null && !fromEnv.isBlank() ? fromEnv : Defaults.BOOTSTRAP_SERVERS);
    Map<String, String> explicit = new HashMap<>(flags);
    if (bootstrapServer != null) {
      explicit.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServer);
    }
    return ClientProperties.merge(base, commandConfigFile(), explicit, overrides);
  }

  private Properties commandConfigFile() {
    if (commandConfig == null) {
      return new Properties();
    }
    try {
      return ClientProperties.load(commandConfig);
    } catch (NoSuchFileException e) {
      throw CliException.badInput(
          "Cannot read --command-config " + commandConfig + ": no such file", e);
    } catch (IOException | IllegalArgumentException e) {
      throw CliException.badInput(
          "Cannot read --command-config " + commandConfig + ": " + e.getMessage(), e);
    }
  }
}
