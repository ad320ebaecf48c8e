package dev.kafkademo.cli;

import dev.kafkademo.connect.ConnectClient;
import dev.kafkademo.kafka.BrokerUnreachableException;
import dev.kafkademo.kafka.Causes;
import dev.kafkademo.kafka.TlsProblems;
import dev.kafkademo.registry.RegistryException;
import java.io.PrintWriter;
import java.util.Optional;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * The edge where failures become one line on stderr and an exit code. The stack trace is printed
 * only with {@code --verbose}.
 */
public final class ErrorHandler implements IExecutionExceptionHandler {
  private final VerboseSetting verbose;

  public ErrorHandler(VerboseSetting verbose) {
    this.verbose = verbose;
  }

  /** Whether {@code --verbose} was given; read when a failure is handled. */
  public interface VerboseSetting {
    boolean verbose();
  }

  @Override
  public int handleExecutionException(
      Exception error, CommandLine command, ParseResult parseResult) {
    PrintWriter err = command.getErr();
    if (verbose.verbose()) {
      error.printStackTrace(err);
    }
    String known =
        knownMessage(
            error,
            command.getCommandSpec().qualifiedName(" "),
            AuthorizationProblems.Named.of(command));
    if (known != null) {
      err.println("error: " + known);
    } else {
      err.println(
          "error: "
              + error.getClass().getSimpleName()
              + ": "
              + error.getMessage()
              + (verbose.verbose() ? "" : " (run again with --verbose for the stack trace)"));
    }
    err.flush();
    if (error instanceof CliException cli) {
      return cli.exitCode();
    }
    if (error instanceof ConnectClient.ConnectException connect) {
      return connect.status() == 404 ? ExitCodes.NOT_FOUND : ExitCodes.FAILURE;
    }
    if (error instanceof RegistryException registry) {
      return registry.kind() == RegistryException.Kind.NOT_FOUND
          ? ExitCodes.NOT_FOUND
          : ExitCodes.FAILURE;
    }
    return Causes.first(error, ConfigException.class) != null || clientNotCreated(error)
        ? ExitCodes.USAGE
        : ExitCodes.FAILURE;
  }

  /**
   * The message for failures we know how to explain, or null.
   *
   * @param command the command that failed ("kafka-demo topics create"), for what it was doing
   * @param named the topic and group it was given
   */
  static String knownMessage(Throwable error, String command, AuthorizationProblems.Named named) {
    if (error instanceof CliException) {
      return error.getMessage();
    }
    if (error instanceof ConnectClient.ConnectException connect) {
      return connect.status() == 0
          ? connect.getMessage() + "; check --connect-url (is 'kafka-demo connect' running?)"
          : "Kafka Connect: " + connect.getMessage();
    }
    if (error instanceof RegistryException registry) {
      return switch (registry.kind()) {
        case UNREACHABLE -> registry.getMessage() + "; check --schema-registry";
        case UNAUTHORIZED -> registry.getMessage() + "; check --schema-registry-auth";
        case INCOMPATIBLE ->
            "The schema registry refused the schema: "
                + registry.getMessage()
                + " (try it first with 'kafka-demo schemas check')";
        default -> registry.getMessage();
      };
    }
    if (error instanceof BrokerUnreachableException unreachable && unreachable.speaksTls()) {
      return unreachable.getMessage()
          + ": it speaks TLS and this client plaintext. Set security.protocol=SSL and the"
          + " truststore in --command-config (kafka-demo broker --tls writes client.properties).";
    }
    if (error instanceof BrokerUnreachableException unreachable) {
      return unreachable.getMessage()
          + ". Check that the broker is running (docker-compose ps, or java -jar target/kafka-demo.jar broker)"
          + " and that --bootstrap-server is right (for a secured cluster, also --command-config).";
    }
    Throwable cause = Causes.first(error, ConfigException.class);
    if (cause != null) {
      return "Invalid client configuration: "
          + sentence(cause.getMessage())
          + ". Check --bootstrap-server, --command-config and -X.";
    }
    if (clientNotCreated(error)) {
      return "Cannot create the Kafka client: "
          + sentence(Causes.innermost(error).getMessage())
          + ". Check --command-config and -X.";
    }
    Optional<String> tls = TlsProblems.describe(error);
    if (tls.isPresent()) {
      return tls.get() + ".";
    }
    cause = Causes.first(error, AuthenticationException.class);
    if (cause != null) {
      return "Authentication failed: "
          + sentence(cause.getMessage())
          + ". Check the credentials in --command-config.";
    }
    cause = Causes.first(error, AuthorizationException.class);
    if (cause != null) {
      return AuthorizationProblems.describe((AuthorizationException) cause, command, named);
    }
    return null;
  }

  /**
   * A client's constructor failed, which only its settings can cause (a SASL setting without a JAAS
   * entry, a missing class): Kafka says "Failed to construct kafka producer" or "Failed to create
   * new KafkaAdminClient" and keeps the reason in the innermost cause.
   */
  public static boolean clientNotCreated(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof KafkaException
          && t.getMessage() != null
          && (t.getMessage().startsWith("Failed to construct kafka")
              || t.getMessage().startsWith("Failed to create new"))) {
        return true;
      }
    }
    return false;
  }

  /** A message without its closing period, so that ours can follow. */
  private static String sentence(String message) {
    return message != null && message.endsWith(".")
        ? message.substring(0, message.length() - 1)
        : message;
  }
}
