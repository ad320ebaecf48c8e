package dev.kafkademo;

import dev.kafkademo.cli.ErrorHandler;
import dev.kafkademo.cli.ExitCodes;
import dev.kafkademo.cli.commands.AclsCommand;
import dev.kafkademo.cli.commands.BackupCommand;
import dev.kafkademo.cli.commands.BrokerCommand;
import dev.kafkademo.cli.commands.ClusterCommand;
import dev.kafkademo.cli.commands.ConnectCommand;
import dev.kafkademo.cli.commands.ConnectorsCommand;
import dev.kafkademo.cli.commands.ConsumerCommand;
import dev.kafkademo.cli.commands.ContextCommand;
import dev.kafkademo.cli.commands.DoctorCommand;
import dev.kafkademo.cli.commands.GroupsCommand;
import dev.kafkademo.cli.commands.ProducerCommand;
import dev.kafkademo.cli.commands.RestoreCommand;
import dev.kafkademo.cli.commands.SchemasCommand;
import dev.kafkademo.cli.commands.SqlCommand;
import dev.kafkademo.cli.commands.StreamsCommand;
import dev.kafkademo.cli.commands.TopicsCommand;
import dev.kafkademo.cli.context.Context;
import dev.kafkademo.cli.context.ContextFile;
import dev.kafkademo.cli.context.Contexts;
import dev.kafkademo.cli.output.Stdout;
import dev.kafkademo.kafka.KafkaVersion;
import java.io.PrintWriter;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

@Command(
    name = "kafka-demo",
    mixinStandardHelpOptions = true,
    versionProvider = KafkaDemo.Version.class,
    description =
        "Send, read and stream-process user-events (JSON or Avro) with plain Kafka clients, Kafka Streams and Kafka Connect, or run a Kafka broker to try them on.",
    exitCodeListHeading = "%nExit codes:%n")
public final class KafkaDemo implements Runnable, Contexts.Source {
  @Spec CommandSpec spec;

  private boolean verbose;

  @Option(
      names = "--context",
      paramLabel = "NAME",
      scope = ScopeType.INHERIT,
      description =
          "Use this context's cluster (see kafka-demo context); default: $"
              + ContextFile.CONTEXT_ENV
              + ", else the current context.")
  String contextName;

  /** Where the contexts' environment variables are read; tests give their own. */
  public UnaryOperator<String> environment = System::getenv;

  private Optional<Context> activeContext;

  @Override
  public Optional<Context> activeContext() {
    if (activeContext == null) {
      activeContext = Contexts.resolve(contextName, environment);
    }
    return activeContext;
  }

  @Option(
      names = {"-v", "--verbose"},
      scope = ScopeType.INHERIT,
      description = "Show the Kafka clients' logs and, on failure, the stack trace.")
  void setVerbose(boolean verbose) {
    this.verbose = verbose;
    if (verbose) {
      // Takes effect because no logger exists yet: parsing happens before any Kafka class loads.
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "info");
      for (String quieted : Logging.QUIETED) {
        System.setProperty("org.slf4j.simpleLogger.log." + quieted, "info");
      }
    }
  }

  public boolean verbose() {
    return verbose;
  }

  /** The commands, in the order --help lists them. */
  private static final Map<String, Class<?>> COMMANDS = new LinkedHashMap<>();

  static {
    COMMANDS.put("producer", ProducerCommand.class);
    COMMANDS.put("consumer", ConsumerCommand.class);
    COMMANDS.put("broker", BrokerCommand.class);
    COMMANDS.put("cluster", ClusterCommand.class);
    COMMANDS.put("topics", TopicsCommand.class);
    COMMANDS.put("groups", GroupsCommand.class);
    COMMANDS.put("acls", AclsCommand.class);
    COMMANDS.put("doctor", DoctorCommand.class);
    COMMANDS.put("backup", BackupCommand.class);
    COMMANDS.put("restore", RestoreCommand.class);
    COMMANDS.put("streams", StreamsCommand.class);
    COMMANDS.put("schemas", SchemasCommand.class);
    COMMANDS.put("connect", ConnectCommand.class);
    COMMANDS.put("connectors", ConnectorsCommand.class);
    COMMANDS.put("sql", SqlCommand.class);
    COMMANDS.put("context", ContextCommand.class);
    COMMANDS.put("completion", Completion.class);
    COMMANDS.put("help", CommandLine.HelpCommand.class);
  }

  /** The shells {@code completion} writes a script for. */
  enum Shell {
    bash,
    zsh
  }

  /**
   * Tab completion for every command, subcommand, option and enum value: picocli's generator over
   * the whole command line. The script is bash's; zsh runs it through bashcompinit, which the
   * script turns on itself when it is sourced by zsh.
   */
  @Command(
      name = "completion",
      mixinStandardHelpOptions = true,
      description = {
        "Print a shell completion script for kafka-demo. Install it with",
        "  source <(bin/kafka-demo completion bash)      # in ~/.bashrc",
        "  source <(bin/kafka-demo completion zsh)       # in ~/.zshrc"
      })
  static final class Completion implements java.util.concurrent.Callable<Integer> {
    @Spec CommandSpec spec;

    @picocli.CommandLine.Parameters(paramLabel = "SHELL", description = "${COMPLETION-CANDIDATES}")
    Shell shell;

    @Override
    public Integer call() {
      String script = picocli.AutoComplete.bash("kafka-demo", commandLine());
      PrintWriter out = spec.commandLine().getOut();
      out.print(script);
      out.flush();
      return ExitCodes.OK;
    }
  }

  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(), "Missing a command: " + String.join(", ", COMMANDS.keySet()));
  }

  /** The command line with every command; tests drive the tool through this. */
  public static CommandLine commandLine() {
    return commandLine(COMMANDS.keySet());
  }

  /**
   * The command line for these arguments: with only the command they name, when they name one.
   * Picocli reads every command's options, through reflection, when it is added: with eleven
   * commands, a tenth of a second of every start that one command does not need.
   */
  static CommandLine commandLine(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--context")) {
        i++; // its value names a context, not a command
      } else if (!arg.startsWith("-")) { // the first word that is not a root option: the command
        return commandLine(
            COMMANDS.containsKey(arg) && !arg.equals("help") ? List.of(arg) : COMMANDS.keySet());
      }
    }
    return commandLine();
  }

  private static CommandLine commandLine(Collection<String> commands) {
    KafkaDemo root = new KafkaDemo();
    CommandLine cli = new CommandLine(root);
    for (String name : commands) {
      cli.addSubcommand(name, COMMANDS.get(name)); // picocli makes the command from its class
    }
    cli.setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler(new ErrorHandler(root::verbose))
        .setParameterExceptionHandler(KafkaDemo::usageError);
    listExitCodes(cli);
    return cli;
  }

  /** Every command's --help ends with the exit codes: they are part of its interface. */
  private static void listExitCodes(CommandLine command) {
    command
        .getCommandSpec()
        .usageMessage()
        .exitCodeListHeading("%nExit codes:%n")
        .exitCodeList(ExitCodes.described());
    command.getSubcommands().values().forEach(KafkaDemo::listExitCodes);
  }

  public static void main(String[] args) {
    CommandLine cli = commandLine(args);
    // Data on stdout is buffered and flushed by the commands; stderr stays line by line.
    cli.setOut(Stdout.open());
    int exitCode = cli.execute(args);
    cli.getOut().flush();
    System.exit(exitCode);
  }

  /**
   * A usage error: one line that says what is wrong and where the options are listed, then close
   * matches for a mistyped option. Exit 2. The whole usage would bury the line that matters.
   */
  private static int usageError(ParameterException error, String[] args) {
    CommandLine command = error.getCommandLine();
    PrintWriter err = command.getErr();
    err.println(
        "error: "
            + error.getMessage()
            + " (see: "
            + command.getCommandSpec().qualifiedName()
            + " --help)");
    UnmatchedArgumentException.printSuggestions(error, err);
    return ExitCodes.USAGE;
  }

  /** The loggers quieter than WARN by default (see simplelogger.properties). */
  static final class Logging {
    static final String[] QUIETED = {
      "org.apache.kafka.clients",
      "org.apache.kafka.common.network",
      "org.apache.kafka.common.security",
      "org.apache.kafka.streams",
      "org.apache.kafka.connect",
      "io.debezium",
      "org.hibernate",
      "com.mchange",
      "org.eclipse.jetty",
      "org.glassfish",
      "org.apache.flink",
      "org.apache.pekko",
      "org.apache.kafka.controller.QuorumController"
    };
  }

  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = KafkaDemo.class.getPackage().getImplementationVersion();
      return new String[] {
        "kafka-demo " + (version == null ? "(development)" : version),
        "Apache Kafka clients " + KafkaVersion.clients(),
        "Java " + System.getProperty("java.version")
      };
    }
  }
}
