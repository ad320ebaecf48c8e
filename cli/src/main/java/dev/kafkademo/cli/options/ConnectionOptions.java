package dev.kafkademo.cli.options;

import dev.kafkademo.Defaults;
import dev.kafkademo.cli.CliException;
import dev.kafkademo.cli.FileProblems;
import dev.kafkademo.cli.Printable;
import dev.kafkademo.cli.context.Context;
import dev.kafkademo.cli.context.Contexts;
import dev.kafkademo.kafka.ClientProperties;
import dev.kafkademo.kafka.Durations;
import dev.kafkademo.kafka.admin.Cluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.CommonClientConfigs;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** How a command reaches the cluster: shared by every command that is a Kafka client. */
public final class ConnectionOptions {
  /** Shorter than this, even a broker next door looks unreachable to a new client. */
  public static final Duration MIN_TIMEOUT = Duration.ofSeconds(1);

  @Spec(Spec.Target.MIXEE)
  public CommandSpec command;

  /** Where the address's environment variable is read; tests give their own. */
  public UnaryOperator<String> environment = System::getenv;

  @Option(
      names = {"-b", "--bootstrap-server"},
      paramLabel = "HOST:PORT",
      description =
          "Broker address. Default: $"
              + Defaults.BOOTSTRAP_SERVERS_ENV
              + ", else the context's, else "
              + Defaults.BOOTSTRAP_SERVERS
              + ".")
  public String bootstrapServer;

  @Option(
      names = "--command-config",
      paramLabel = "FILE",
      description =
          "Client properties file, as for the Kafka tools (security settings and any other client property). Default: the context's.")
  public Path commandConfig;

  @Option(
      names = "-X",
      paramLabel = "KEY=VALUE",
      description =
          "Any client property, e.g. -X linger.ms=20. Wins over the flags and --command-config.")
  public Map<String, String> overrides = new LinkedHashMap<>();

  private Duration timeout = Defaults.CONNECT_TIMEOUT;

  /** The --command-config file, read once. */
  private Properties loadedFile;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "10s",
      converter = DurationConverter.class,
      description =
          "How long to wait for the broker to answer before giving up (default: ${DEFAULT-VALUE}).")
  public void setTimeout(Duration value) {
    if (value.compareTo(MIN_TIMEOUT) < 0) {
      throw new ParameterException(
          command.commandLine(),
          "--timeout must be at least "
              + Durations.format(MIN_TIMEOUT)
              + ", got "
              + Durations.format(value)
              + ": shorter, even a running broker looks unreachable");
    }
    timeout = value;
  }

  public Duration timeout() {
    return timeout;
  }

  /** An admin connection to the cluster, checked to answer within --timeout. */
  public Cluster connect() {
    return Cluster.connect(clientProperties(Map.of(), Map.of(), ClientKind.ADMIN), timeout);
  }

  /**
   * The client properties: {@code defaults}, then the {@code --command-config} file, then {@code
   * flags} and {@code --bootstrap-server}, then {@code -X}. The address falls back to the
   * environment variable, then to {@code localhost:9092}, only when nothing else names one. A
   * setting that none of {@code clients} knows gets a warning on stderr, as it is ignored.
   */
  public Properties clientProperties(
      Map<String, String> defaults, Map<String, String> flags, ClientKind... clients) {
    Map<String, String> base = new HashMap<>(defaults);
    String fromEnv = environment.apply(Defaults.BOOTSTRAP_SERVERS_ENV);
    String fromContext = context().map(Context::bootstrapServer).orElse(null);
    base.put(
        CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
        fromEnv != null && !fromEnv.isBlank()
            ? fromEnv
            : fromContext != null ? fromContext : Defaults.BOOTSTRAP_SERVERS);
    Map<String, String> explicit = new HashMap<>(flags);
    if (bootstrapServer != null) {
      explicit.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServer);
    }
    for (String key : overrides.keySet()) {
      if (key.isBlank()) {
        throw new ParameterException(
            command.commandLine(), "-X takes KEY=VALUE with a property name before the '='");
      }
    }
    Properties file = commandConfigFile();
    warnAboutUnknown(file.stringPropertyNames(), "--command-config", clients);
    warnAboutUnknown(overrides.keySet(), "-X", clients);
    return ClientProperties.merge(base, file, explicit, overrides);
  }

  private void warnAboutUnknown(Iterable<String> names, String from, ClientKind... clients) {
    if (clients.length == 0) {
      return;
    }
    for (String name : names) {
      if (Arrays.stream(clients).noneMatch(client -> client.knows(name))) {
        command
            .commandLine()
            .getErr()
            .println(
                "warning: "
                    + Printable.quoted(name)
                    + " from "
                    + from
                    + " is not a "
                    + clients[0].label()
                    + " setting; it is ignored");
      }
    }
  }

  /** A setting from -X or, failing that, --command-config; null when neither has it. */
  public String setting(String name) {
    String value = overrides.get(name);
    return value != null ? value : commandConfigFile().getProperty(name);
  }

  /** The context in use (--context, $KAFKA_DEMO_CONTEXT, the current one), if any. */
  public Optional<Context> context() {
    return Contexts.of(command);
  }

  private Properties commandConfigFile() {
    if (commandConfig == null) {
      String fromContext = context().map(Context::commandConfig).orElse(null);
      if (fromContext == null) {
        return new Properties();
      }
      commandConfig = Path.of(fromContext);
    }
    if (loadedFile == null) {
      loadedFile = readCommandConfig(commandConfig);
    }
    return loadedFile;
  }

  /**
   * A client properties file, read as --command-config reads it.
   *
   * @throws CliException (exit 2) naming the file and what is wrong with it
   */
  public static Properties readCommandConfig(Path file) {
    if (Files.isDirectory(file)) {
      throw CliException.badInput(
          "Cannot read --command-config " + file + ": it is a directory", null);
    }
    try {
      return ClientProperties.load(file);
    } catch (IOException e) {
      throw CliException.badInput(
          "Cannot read --command-config " + file + ": " + FileProblems.reason(e), e);
    } catch (IllegalArgumentException e) {
      throw CliException.badInput(
          "Cannot read --command-config " + file + ": " + e.getMessage(), e);
    }
  }
}
