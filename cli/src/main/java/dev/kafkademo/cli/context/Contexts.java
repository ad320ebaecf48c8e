package dev.kafkademo.cli.context;

import dev.kafkademo.cli.CliException;
import dev.kafkademo.cli.ExitCodes;
import java.util.Optional;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The context in use: the one {@code --context} names, else {@code $KAFKA_DEMO_CONTEXT}, else the
 * file's current one. Its settings come after the flags and the environment and before the
 * defaults.
 */
public final class Contexts {
  /** What knows the command line's --context and the environment: the root command. */
  public interface Source {
    /** The context in use, resolved once; empty when none is. */
    Optional<Context> activeContext();
  }

  private Contexts() {}

  /** The context in use for this command, if its root command knows contexts. */
  public static Optional<Context> of(CommandSpec spec) {
    if (spec != null && spec.root().userObject() instanceof Source source) {
      return source.activeContext();
    }
    return Optional.empty();
  }

  /**
   * @param named --context's value, or null
   * @throws CliException (exit 4) when the context named does not exist
   */
  public static Optional<Context> resolve(String named, UnaryOperator<String> environment) {
    String fromEnv = environment.apply(ContextFile.CONTEXT_ENV);
    String name = named != null ? named : fromEnv != null && !fromEnv.isBlank() ? fromEnv : null;
    ContextFile file = ContextFile.load(ContextFile.location(environment));
    String how = named != null ? "--context" : name != null ? "$" + ContextFile.CONTEXT_ENV : null;
    if (name == null) {
      name = file.current();
      how = "the current context (kafka-demo context use)";
    }
    if (name == null) {
      return Optional.empty();
    }
    Context context = file.contexts().get(name);
    if (context == null) {
      throw notFound(name, how);
    }
    return Optional.of(context);
  }

  public static CliException notFound(String name, String how) {
    return new CliException(
        "Context "
            + name
            + (how == null ? "" : " (from " + how + ")")
            + " does not exist: see kafka-demo context list",
        ExitCodes.NOT_FOUND,
        null);
  }
}
