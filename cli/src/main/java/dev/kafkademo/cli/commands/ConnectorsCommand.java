package dev.kafkademo.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kafkademo.Defaults;
import dev.kafkademo.cli.CliException;
import dev.kafkademo.cli.ExitCodes;
import dev.kafkademo.cli.FileProblems;
import dev.kafkademo.cli.context.Context;
import dev.kafkademo.cli.context.Contexts;
import dev.kafkademo.cli.options.OutputOptions;
import dev.kafkademo.connect.ConnectClient;
import dev.kafkademo.events.EventJson;
import dev.kafkademo.kafka.Secrets;
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
import java.util.TreeMap;
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
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(
        names = "--connect-url",
        paramLabel = "URL",
        defaultValue = "${env:" + Defaults.CONNECT_URL_ENV + "}",
        description =
            "Kafka Connect's REST API (default: $"
                + Defaults.CONNECT_URL_ENV
                + ", else the context's, else "
                + Defaults.CONNECT_URL
                + ").")
    String url;

    ConnectClient client() {
      String address =
          url != null && !url.isBlank()
              ? url
              : Contexts.of(command).map(Context::connectUrl).orElse(Defaults.CONNECT_URL);
      try {
        return new ConnectClient(address, Duration.ofSeconds(30));
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
    List<Map<String, Object>> rows = new ArrayList<>();
    for (ConnectClient.Status status : connect.client().statuses()) {
      List<String> tasks = new ArrayList<>();
      status.tasks().forEach(task -> tasks.add(task.id() + ":" + task.state()));
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("name", status.name());
      row.put("type", status.type());
      row.put("state", status.connector().state());
      row.put("tasks", tasks.isEmpty() ? "none" : String.join(" ", tasks));
      rows.add(row);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (output.json()) {
      OutputOptions.printJson(out, rows);
    } else {
      List<List<String>> table = new ArrayList<>();
      for (Map<String, Object> row : rows) {
        table.add(
            List.of(
                (String) row.get("name"),
                (String) row.get("type"),
                (String) row.get("state"),
                (String) row.get("tasks")));
      }
      OutputOptions.printTable(out, List.of("NAME", "TYPE", "STATE", "TASKS"), table);
    }
    return ExitCodes.OK;
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
    ConnectClient.Info info = client.info(name);
    ConnectClient.Status status = client.status(name);
    Map<String, String> config = new TreeMap<>();
    info.config().forEach((setting, value) -> config.put(setting, Secrets.shown(setting, value)));
    PrintWriter out = spec.commandLine().getOut();
    if (output.json()) {
      Map<String, Object> both = new LinkedHashMap<>();
      both.put("name", name);
      both.put("info", new ConnectClient.Info(info.name(), info.type(), config));
      both.put("status", status);
      OutputOptions.printJson(out, both);
      return ExitCodes.OK;
    }
    ConnectClient.State connector = status.connector();
    out.printf(
        "Connector %s (%s): %s on %s%n",
        name, info.type(), connector.state(), connector.workerId());
    if (connector.failure() != null) {
      out.println("  failure: " + connector.failure());
    }
    boolean failedTask = false;
    for (ConnectClient.State task : status.tasks()) {
      out.printf("  task %s: %s on %s%n", task.id(), task.state(), task.workerId());
      if (task.failure() != null) {
        out.println("    failure: " + task.failure());
        failedTask |= task.failed();
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
    config.forEach((setting, value) -> rows.add(List.of("  " + setting, value)));
    OutputOptions.printTable(out, List.of("  SETTING", "VALUE"), rows);
    return ExitCodes.OK;
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
    List<ConnectClient.Plugin> plugins = connect.client().plugins();
    PrintWriter out = spec.commandLine().getOut();
    if (output.json()) {
      OutputOptions.printJson(out, plugins);
    } else {
      List<List<String>> rows = new ArrayList<>();
      plugins.forEach(p -> rows.add(List.of(p.className(), p.type(), p.version())));
      OutputOptions.printTable(out, List.of("CLASS", "TYPE", "VERSION"), rows);
    }
    return ExitCodes.OK;
  }
}
