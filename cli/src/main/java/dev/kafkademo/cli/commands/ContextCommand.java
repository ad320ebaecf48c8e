package dev.kafkademo.cli.commands;

import dev.kafkademo.cli.CliException;
import dev.kafkademo.cli.ExitCodes;
import dev.kafkademo.cli.context.Context;
import dev.kafkademo.cli.context.ContextFile;
import dev.kafkademo.cli.context.Contexts;
import dev.kafkademo.cli.options.ConnectionOptions;
import dev.kafkademo.cli.options.OutputOptions;
import dev.kafkademo.kafka.ClientProperties;
import dev.kafkademo.kafka.Secrets;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "context",
    mixinStandardHelpOptions = true,
    description = {
      "Named clusters (like kafkactl's contexts): a broker address with its client settings, schema"
          + " registry and Connect. Every command takes --context NAME; $"
          + ContextFile.CONTEXT_ENV
          + " chooses one too.",
      "Flags win over the environment, which wins over the context in use, which wins over the"
          + " defaults. The contexts are kept in $"
          + ContextFile.CONFIG_ENV
          + ", else $XDG_CONFIG_HOME/kafka-demo/contexts.json, else"
          + " ~/.config/kafka-demo/contexts.json (mode 600)."
    })
public final class ContextCommand {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");

  @Spec CommandSpec spec;

  @Command(
      name = "add",
      mixinStandardHelpOptions = true,
      description = "Add a context; the first one added is put in use.")
  int add(
      @Parameters(paramLabel = "NAME") String name,
      @Option(
              names = {"-b", "--bootstrap-server"},
              required = true,
              paramLabel = "HOST:PORT",
              description = "The cluster's broker address(es).")
          String bootstrapServer,
      @Option(
              names = "--command-config",
              paramLabel = "FILE",
              description = "Client properties file: security settings (read at each run).")
          Path commandConfig,
      @Option(names = "--schema-registry", paramLabel = "URL", description = "Schema registry.")
          String schemaRegistry,
      @Option(
              names = "--connect-url",
              paramLabel = "URL",
              description = "Kafka Connect's REST API.")
          String connectUrl) {
    if (!NAME.matcher(name).matches()) {
      throw CliException.badInput(
          "'" + name + "' cannot name a context: use letters, digits, '.', '_' and '-'", null);
    }
    if (bootstrapServer.isBlank()) {
      throw CliException.badInput("--bootstrap-server needs HOST:PORT", null);
    }
    String config = null;
    if (commandConfig != null) {
      ConnectionOptions.readCommandConfig(commandConfig);
      config = commandConfig.toAbsolutePath().normalize().toString();
    }
    checkUrl("--schema-registry", schemaRegistry);
    checkUrl("--connect-url", connectUrl);
    ContextFile file = file();
    if (file.contexts().containsKey(name)) {
      throw new CliException(
          "Context "
              + name
              + " exists already: remove it first (kafka-demo context remove "
              + name
              + ")",
          ExitCodes.ALREADY_EXISTS,
          null);
    }
    file.put(name, new Context(bootstrapServer, config, schemaRegistry, connectUrl));
    boolean first = file.current() == null;
    if (first) {
      file.use(name);
    }
    file.save();
    err()
        .println(
            "Added context " + name + (first ? ", now in use" : "") + " (in " + file.path() + ")");
    return ExitCodes.OK;
  }

  @Command(
      name = "use",
      mixinStandardHelpOptions = true,
      description = "Put a context in use for every command that does not name another.")
  int use(@Parameters(paramLabel = "NAME") String name) {
    ContextFile file = file();
    if (!file.contexts().containsKey(name)) {
      throw Contexts.notFound(name, null);
    }
    file.use(name);
    file.save();
    err()
        .println(
            "Using context " + name + " (" + file.contexts().get(name).bootstrapServer() + ")");
    return ExitCodes.OK;
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "The contexts; * marks the one in use.")
  int list(@Mixin OutputOptions output) {
    ContextFile file = file();
    PrintWriter out = spec.commandLine().getOut();
    if (output.json()) {
      List<Map<String, Object>> all = new ArrayList<>();
      file.contexts()
          .forEach(
              (name, c) -> {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("name", name);
                row.put("current", name.equals(file.current()));
                row.putAll(shown(c, false));
                all.add(row);
              });
      OutputOptions.printJson(out, all);
      return ExitCodes.OK;
    }
    if (file.contexts().isEmpty()) {
      err()
          .println(
              "No contexts yet: add one with kafka-demo context add NAME --bootstrap-server HOST:PORT");
      return ExitCodes.OK;
    }
    List<List<String>> rows = new ArrayList<>();
    file.contexts()
        .forEach(
            (name, c) ->
                rows.add(
                    List.of(
                        name.equals(file.current()) ? "*" : "",
                        name,
                        c.bootstrapServer(),
                        orDash(c.commandConfig()),
                        orDash(maskUrl(c.schemaRegistry())),
                        orDash(maskUrl(c.connectUrl())))));
    OutputOptions.printTable(
        out,
        List.of("", "NAME", "BOOTSTRAP-SERVER", "COMMAND-CONFIG", "SCHEMA-REGISTRY", "CONNECT-URL"),
        rows);
    return ExitCodes.OK;
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description =
          "A context's settings (default: the one in use), with its client properties file's; secrets masked.")
  int show(
      @Parameters(paramLabel = "NAME", arity = "0..1") String name, @Mixin OutputOptions output) {
    ContextFile file = file();
    String shownName = name != null ? name : file.current();
    if (shownName == null) {
      throw new CliException(
          "No context is in use: name one, or choose one with kafka-demo context use NAME",
          ExitCodes.NOT_FOUND,
          null);
    }
    Context context = file.contexts().get(shownName);
    if (context == null) {
      throw Contexts.notFound(shownName, null);
    }
    Map<String, Object> shown = new LinkedHashMap<>();
    shown.put("name", shownName);
    shown.put("current", shownName.equals(file.current()));
    shown.putAll(shown(context, true));
    PrintWriter out = spec.commandLine().getOut();
    if (output.json()) {
      OutputOptions.printJson(out, shown);
      return ExitCodes.OK;
    }
    shown.forEach(
        (k, v) -> {
          if (v instanceof Map<?, ?> settings) {
            out.println(k + ":");
            settings.forEach((setting, value) -> out.println("  " + setting + "=" + value));
          } else {
            out.println(k + ": " + v);
          }
        });
    return ExitCodes.OK;
  }

  @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a context.")
  int remove(@Parameters(paramLabel = "NAME") String name) {
    ContextFile file = file();
    if (!file.contexts().containsKey(name)) {
      throw Contexts.notFound(name, null);
    }
    boolean wasCurrent = name.equals(file.current());
    file.remove(name);
    file.save();
    err().println("Removed context " + name + (wasCurrent ? "; no context is in use now" : ""));
    return ExitCodes.OK;
  }

  /**
   * What may be shown of a context: URLs without their passwords and, with {@code settings}, the
   * client properties file's settings with secrets masked.
   */
  private static Map<String, Object> shown(Context c, boolean settings) {
    Map<String, Object> shown = new LinkedHashMap<>();
    shown.put("bootstrapServer", c.bootstrapServer());
    if (c.commandConfig() != null) {
      shown.put("commandConfig", c.commandConfig());
    }
    if (c.schemaRegistry() != null) {
      shown.put("schemaRegistry", maskUrl(c.schemaRegistry()));
    }
    if (c.connectUrl() != null) {
      shown.put("connectUrl", maskUrl(c.connectUrl()));
    }
    if (settings && c.commandConfig() != null) {
      Map<String, String> values = new TreeMap<>();
      try {
        Properties file = ClientProperties.load(Path.of(c.commandConfig()));
        file.stringPropertyNames()
            .forEach(k -> values.put(k, Secrets.shown(k, file.getProperty(k))));
        shown.put("settings", values);
      } catch (IOException | IllegalArgumentException e) {
        shown.put("settings", "cannot be read: " + e.getMessage());
      }
    }
    return shown;
  }

  /** {@code http://user:secret@host} shown as {@code http://user:********@host}. */
  static String maskUrl(String url) {
    if (url == null) {
      return null;
    }
    try {
      URI uri = new URI(url);
      String userInfo = uri.getRawUserInfo();
      if (userInfo == null || !userInfo.contains(":")) {
        return url;
      }
      String user = userInfo.substring(0, userInfo.indexOf(':'));
      return url.replace(userInfo + "@", user + ":" + Secrets.MASK + "@");
    } catch (URISyntaxException e) {
      return url;
    }
  }

  private static void checkUrl(String option, String url) {
    if (url == null) {
      return;
    }
    try {
      URI uri = new URI(url);
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())
          || uri.getHost() == null) {
        throw new URISyntaxException(url, "not http(s)://HOST:PORT");
      }
    } catch (URISyntaxException e) {
      throw CliException.badInput(
          option + " '" + url + "' is not an http(s) URL like http://localhost:8081", e);
    }
  }

  private static String orDash(String value) {
    return value == null ? "-" : value;
  }

  private ContextFile file() {
    UnaryOperator<String> environment =
        spec.root().userObject() instanceof dev.kafkademo.KafkaDemo root
            ? root.environment
            : System::getenv;
    return ContextFile.load(ContextFile.location(environment));
  }

  private PrintWriter err() {
    return spec.commandLine().getErr();
  }
}
