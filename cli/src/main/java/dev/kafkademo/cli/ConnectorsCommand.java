package dev.kafkademo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kafkademo.Defaults;
import dev.kafkademo.connect.ConnectClient;
import dev.kafkademo.events.EventJson;
import dev.kafkademo.rest.JsonRest;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "connectors",
    mixinStandardHelpOptions = true,
    description =
        "List, describe, create, update, restart, pause, resume and delete Kafka Connect"
            + " connectors over Connect's REST API, like kcctl.")
public final class ConnectorsCommand {
  @Spec CommandSpec spec;

  /** Where Connect's REST API is. */
  public static final class Address {
    @Option(
        names = "--connect-url",
        paramLabel = "URL",
        defaultValue = "${env:" + Defaults.CONNECT_URL_ENV + ":-" + Defaults.CONNECT_URL + "}",
        description =
            "Kafka Connect's REST API (default: $"
                + Defaults.CONNECT_URL_ENV
                + ", else "
                + Defaults.CONNECT_URL
                + ").")
    String url;

    ConnectClient client() {
      try {
        return new ConnectClient(url, Duration.ofSeconds(30));
      } catch (IllegalArgumentException e) {
        throw CliException.badInput("--connect-url: " + e.getMessage(), e);
      }
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Connectors with their type and state, and their tasks' states.")
  int list(@Mixin Address connect, @Mixin OutputOptions output) {
    ConnectClient client = connect.client();
    List<Map<String, Object>> rows = new ArrayList<>();
    for (String name : client.connectors()) {
      rows.add(summary(client, name));
    }
    PrintWriter out = spec.commandLine().getOut();
    if (output.json()) {
      OutputOptions.printJson(out, rows);
    } else {
      List<List<String>> table = new ArrayList<>();
      rows.forEach(
          r ->
              table.add(
                  List.of(
                      (String) r.get("name"),
                      (String) r.get("type"),
                      (String) r.get("state"),
                      (String) r.get("tasks"))));
      OutputOptions.printTable(out, List.of("NAME", "TYPE", "STATE", "TASKS"), table);
    }
    return ExitCodes.OK;
  }

  private static Map<String, Object> summary(ConnectClient client, String name) {
    JsonNode status = client.status(name);
    List<String> tasks = new ArrayList<>();
    status
        .path("tasks")
        .forEach(t -> tasks.add(t.path("id").asText() + ":" + t.path("state").asText()));
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("name", name);
    row.put("type", status.path("type").asText());
    row.put("state", status.path("connector").path("state").asText());
    row.put("tasks", tasks.isEmpty() ? "none" : String.join(" ", tasks));
    return row;
  }

  @Command(
      name = "describe",
      mixinStandardHelpOptions = true,
      description =
          "A connector's config, its and its tasks' states and workers, and the first line of a failure's trace.")
  int describe(
      @Parameters(paramLabel = "NAME") String name,
      @Mixin Address connect,
      @Mixin OutputOptions output) {
    ConnectClient client = connect.client();
    JsonNode info = client.info(name);
    JsonNode status = client.status(name);
    PrintWriter out = spec.commandLine().getOut();
    if (output.json()) {
      Map<String, Object> both = new LinkedHashMap<>();
      both.put("name", name);
      both.put("info", masked(info));
      both.put("status", status);
      OutputOptions.printJson(out, both);
      return ExitCodes.OK;
    }
    JsonNode connector = status.path("connector");
    out.printf(
        "Connector %s (%s): %s on %s%n",
        name,
        info.path("type").asText(),
        connector.path("state").asText(),
        connector.path("worker_id").asText());
    if (connector.has("trace")) {
      out.println("  failure: " + failure(connector.path("trace").asText()));
    }
    boolean failedTask = false;
    for (JsonNode task : status.path("tasks")) {
      out.printf(
          "  task %s: %s on %s%n",
          task.path("id").asText(), task.path("state").asText(), task.path("worker_id").asText());
      if (task.has("trace")) {
        out.println("    failure: " + failure(task.path("trace").asText()));
        failedTask |= task.path("state").asText().equals("FAILED");
      }
    }
    if (failedTask) {
      out.println(
          "  once the cause is fixed: kafka-demo connectors restart "
              + name
              + " --include-tasks --only-failed");
    }
    out.println("Config:");
    List<List<String>> rows = new ArrayList<>();
    info.path("config")
        .fields()
        .forEachRemaining(
            e -> rows.add(List.of("  " + e.getKey(), shown(e.getKey(), e.getValue().asText()))));
    rows.sort((a, b) -> a.get(0).compareTo(b.get(0)));
    OutputOptions.printTable(out, List.of("  SETTING", "VALUE"), rows);
    return ExitCodes.OK;
  }

  /** Secrets are not printed: what the setting's name says is one is masked. */
  static String shown(String setting, String value) {
    return isSecret(setting) ? "********" : value;
  }

  /** Whether a setting's name says its value is a secret (a password, a JAAS config). */
  static boolean isSecret(String setting) {
    return setting.contains("password") || setting.contains("secret") || setting.contains("jaas");
  }

  /**
   * What a failure's trace says in one line: its first line ("Exiting WorkerSinkTask due to
   * unrecoverable exception.") names neither the system nor the reason, so the deepest cause
   * (PostgreSQL's own message) follows it.
   */
  static String failure(String trace) {
    String first = trace.lines().findFirst().orElse("").strip();
    String root =
        trace
            .lines()
            .map(String::strip)
            .filter(line -> line.startsWith("Caused by: "))
            .reduce((earlier, later) -> later)
            .map(line -> line.substring("Caused by: ".length()))
            .orElse(null);
    return root == null || root.equals(first)
        ? withoutPackage(first)
        : withoutPackage(first) + " Cause: " + withoutPackage(root);
  }

  /** {@code org.postgresql.util.PSQLException: ...} as {@code PSQLException: ...}. */
  private static String withoutPackage(String line) {
    return line.replaceFirst("^(?:[a-z][\\w]*\\.)+(?=[A-Z][\\w$]*(?::|$))", "");
  }

  /** A connector's info with the values of secret settings masked, as the table view shows them. */
  private static JsonNode masked(JsonNode info) {
    JsonNode copy = info.deepCopy();
    JsonNode config = copy.path("config");
    if (config instanceof com.fasterxml.jackson.databind.node.ObjectNode settings) {
      List<String> names = new ArrayList<>();
      settings.fieldNames().forEachRemaining(names::add);
      for (String setting : names) {
        settings.put(setting, shown(setting, settings.get(setting).asText()));
      }
    }
    return copy;
  }

  @Command(
      name = "apply",
      mixinStandardHelpOptions = true,
      description =
          "Create a connector, or update its config, from a JSON file (Connect's {\"name\", \"config\"} or the config alone) or a .properties file. Connect validates the config first: each problem is one line, with its setting.")
  int apply(
      @Parameters(paramLabel = "NAME") String name,
      @Option(
              names = {"-f", "--file"},
              paramLabel = "FILE",
              required = true,
              description = "FILE.json or FILE.properties")
          Path file,
      @Mixin Address connect) {
    Map<String, String> config = read(file);
    if (!config.containsKey("connector.class")) {
      throw CliException.badInput(file + " has no connector.class: which connector is it?", null);
    }
    String named = config.get("name");
    if (named != null && !named.equals(name)) {
      // Another name would make a second connector from the same file: a second sink writing
      // the same table, a second CDC slot.
      throw CliException.badInput(
          file
              + " is connector "
              + named
              + ", not "
              + name
              + ": apply it as "
              + named
              + ", or change the name in the file",
          null);
    }
    config.put("name", name);
    ConnectClient client = connect.client();
    List<ConnectClient.Problem> problems;
    try {
      problems = client.validate(config);
    } catch (ConnectClient.ConnectException e) {
      if (e.getMessage() != null && e.getMessage().contains("Failed to find any class")) {
        // Connect lists every class it has, in one line of hundreds of characters.
        throw CliException.badInput(
            "Connect has no connector class "
                + config.get("connector.class")
                + " (in "
                + file
                + "): see kafka-demo connectors plugins for the ones it has",
            e);
      }
      throw e;
    }
    PrintWriter err = spec.commandLine().getErr();
    if (!problems.isEmpty()) {
      problems.forEach(p -> err.println("invalid " + p.setting() + ": " + p.message()));
      throw new CliException(
          "Connect refused "
              + file
              + " ("
              + problems.size()
              + " problem"
              + (problems.size() == 1 ? "" : "s")
              + " above); nothing was changed");
    }
    boolean created = client.apply(name, config);
    err.println(
        (created ? "Created" : "Updated")
            + " connector "
            + name
            + " (see: kafka-demo connectors describe "
            + name
            + ")");
    return ExitCodes.OK;
  }

  /** A connector config from a file: JSON ({"name", "config"} or flat) or properties. */
  static Map<String, String> read(Path file) {
    Map<String, String> config = new LinkedHashMap<>();
    try {
      if (file.toString().endsWith(".properties")) {
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
          props.load(in);
        }
        props.stringPropertyNames().forEach(key -> config.put(key, props.getProperty(key)));
        return config;
      }
      JsonNode root = JsonRest.JSON.readTree(file.toFile());
      if (root == null || !root.isObject()) {
        throw CliException.badInput("Cannot use " + file + ": expected a JSON object", null);
      }
      JsonNode settings =
          root.has("config") && root.get("config").isObject() ? root.get("config") : root;
      if (settings != root && root.path("name").isTextual()) {
        config.put("name", root.get("name").asText()); // Connect's {"name", "config"} form
      }
      settings
          .fields()
          .forEachRemaining(
              e -> {
                if (!e.getValue().isValueNode()) {
                  throw CliException.badInput(
                      "Cannot use "
                          + file
                          + ": "
                          + e.getKey()
                          + " must be a text, number or boolean",
                      null);
                }
                config.put(e.getKey(), e.getValue().asText());
              });
      return config;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw CliException.badInput("Cannot read " + file + ": " + EventJson.problem(e), e);
    } catch (IOException e) {
      throw CliException.badInput("Cannot read " + file + ": " + FileProblems.reason(e), e);
    }
  }

  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description = "Delete a connector (its committed offsets stay).")
  int delete(
      @Parameters(paramLabel = "NAME") String name,
      @Option(names = "--yes", description = "Yes, delete it.") boolean yes,
      @Mixin Address connect) {
    if (!yes) {
      throw CliException.badInput(
          "Deleting connector " + name + " stops it for good: add --yes to go ahead", null);
    }
    connect.client().delete(name);
    spec.commandLine().getErr().println("Deleted connector " + name);
    return ExitCodes.OK;
  }

  @Command(
      name = "restart",
      mixinStandardHelpOptions = true,
      description = "Restart a connector, and with --include-tasks its tasks too.")
  int restart(
      @Parameters(paramLabel = "NAME") String name,
      @Option(names = "--include-tasks", description = "Restart its tasks too.")
          boolean includeTasks,
      @Option(names = "--only-failed", description = "Only what has failed.") boolean onlyFailed,
      @Mixin Address connect) {
    connect.client().restart(name, includeTasks, onlyFailed);
    spec.commandLine()
        .getErr()
        .println("Restarting connector " + name + (includeTasks ? " and its tasks" : ""));
    return ExitCodes.OK;
  }

  @Command(
      name = "pause",
      mixinStandardHelpOptions = true,
      description = "Pause a connector and its tasks.")
  int pause(@Parameters(paramLabel = "NAME") String name, @Mixin Address connect) {
    connect.client().pause(name);
    spec.commandLine().getErr().println("Pausing connector " + name);
    return ExitCodes.OK;
  }

  @Command(
      name = "resume",
      mixinStandardHelpOptions = true,
      description = "Resume a paused connector.")
  int resume(@Parameters(paramLabel = "NAME") String name, @Mixin Address connect) {
    connect.client().resume(name);
    spec.commandLine().getErr().println("Resuming connector " + name);
    return ExitCodes.OK;
  }

  @Command(
      name = "plugins",
      mixinStandardHelpOptions = true,
      description = "The connector classes the workers can run.")
  int plugins(@Mixin Address connect, @Mixin OutputOptions output) {
    JsonNode plugins = connect.client().plugins();
    PrintWriter out = spec.commandLine().getOut();
    if (output.json()) {
      OutputOptions.printJson(out, plugins);
    } else {
      List<List<String>> rows = new ArrayList<>();
      plugins.forEach(
          p ->
              rows.add(
                  List.of(
                      p.path("class").asText(),
                      p.path("type").asText(),
                      p.path("version").asText())));
      OutputOptions.printTable(out, List.of("CLASS", "TYPE", "VERSION"), rows);
    }
    return ExitCodes.OK;
  }
}
