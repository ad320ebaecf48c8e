package dev.kafkademo.cli.options;

import dev.kafkademo.Defaults;
import dev.kafkademo.cli.CliException;
import dev.kafkademo.cli.FileProblems;
import dev.kafkademo.cli.context.Context;
import dev.kafkademo.cli.context.Contexts;
import dev.kafkademo.registry.AvroEvents;
import dev.kafkademo.registry.RegistryClient;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.apache.avro.Schema;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Where the schema registry is, and how to log in to it: shared by the commands that use one. */
public final class RegistryOptions {
  /** Confluent's client settings, accepted in --command-config and -X as well. */
  public static final String URL_SETTING = "schema.registry.url";

  public static final String USER_INFO_SETTING = "basic.auth.user.info";

  @Spec(Spec.Target.MIXEE)
  public CommandSpec command;

  @Option(
      names = "--schema-registry",
      paramLabel = "URL",
      defaultValue = "${env:" + Defaults.SCHEMA_REGISTRY_URL_ENV + "}",
      description =
          "Schema registry, e.g. "
              + Defaults.SCHEMA_REGISTRY_URL
              + " (Apicurio: .../apis/ccompat/v7). Default: $"
              + Defaults.SCHEMA_REGISTRY_URL_ENV
              + ", else "
              + URL_SETTING
              + " from --command-config, else the context's, else "
              + Defaults.SCHEMA_REGISTRY_URL
              + ".")
  public String url;

  @Option(
      names = "--schema-registry-auth",
      paramLabel = "USER:PASSWORD",
      description =
          "HTTP basic credentials for the registry (never printed); or "
              + USER_INFO_SETTING
              + " in --command-config.")
  public String userInfo;

  /**
   * An Avro schema file named on the command line, or one line saying why it cannot be used.
   *
   * @param option how the file was named, for the message: "--schema ", or "" for an argument
   */
  public static Schema readSchema(String option, Path file) {
    try {
      return AvroEvents.read(file);
    } catch (IOException e) {
      throw CliException.badInput(
          "Cannot read " + option + file + ": " + FileProblems.reason(e), e);
    } catch (IllegalArgumentException e) {
      throw CliException.badInput("Cannot use " + option + file + ": " + e.getMessage(), e);
    }
  }

  /** Whether a registry was named (else the default address is tried). */
  public boolean given(ConnectionOptions connection) {
    return named(connection) != null;
  }

  /** The flag or its environment variable, the client settings, the context; null: none. */
  private String named(ConnectionOptions connection) {
    if (url != null && !url.isBlank()) {
      return url;
    }
    String fromConfig = connection == null ? null : connection.setting(URL_SETTING);
    if (fromConfig != null && !fromConfig.isBlank()) {
      return fromConfig;
    }
    return Contexts.of(command).map(Context::schemaRegistry).orElse(null);
  }

  private String address(ConnectionOptions connection) {
    String named = named(connection);
    return named != null ? named : Defaults.SCHEMA_REGISTRY_URL;
  }

  /**
   * A client for the registry named; nothing is asked until it is used.
   *
   * @param connection the command's Kafka options, whose --command-config and -X may hold the
   *     registry's settings too; null for a command without them
   */
  public RegistryClient client(ConnectionOptions connection) {
    String address = address(connection);
    try {
      return new RegistryClient(address, credentials(connection), timeout(connection));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(command.commandLine(), "--schema-registry: " + e.getMessage());
    }
  }

  /** A client for the registry when one is named (flag, settings, context); else empty. */
  public Optional<RegistryClient> clientIfGiven(ConnectionOptions connection) {
    return given(connection) ? Optional.of(client(connection)) : Optional.empty();
  }

  /** The registry's USER:PASSWORD, from the flag or --command-config; null: none. */
  public String credentials(ConnectionOptions connection) {
    return userInfo != null || connection == null
        ? userInfo
        : connection.setting(USER_INFO_SETTING);
  }

  public static Duration timeout(ConnectionOptions connection) {
    return connection == null ? Defaults.CONNECT_TIMEOUT : connection.timeout();
  }
}
