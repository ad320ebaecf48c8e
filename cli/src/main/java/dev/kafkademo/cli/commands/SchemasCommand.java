package dev.kafkademo.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kafkademo.cli.CliException;
import dev.kafkademo.cli.ExitCodes;
import dev.kafkademo.cli.options.OutputOptions;
import dev.kafkademo.cli.options.RegistryOptions;
import dev.kafkademo.events.EventJson;
import dev.kafkademo.registry.AvroEvents;
import dev.kafkademo.registry.RegistryClient;
import dev.kafkademo.registry.RegistryException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "schemas",
    mixinStandardHelpOptions = true,
    description =
        "List, show, register and check Avro schemas in a schema registry (Confluent's API, or"
            + " Apicurio's at /apis/ccompat/v7), like Confluent's REST calls.")
public final class SchemasCommand {
  /** The registry's compatibility rules. */
  public enum Mode {
    BACKWARD,
    BACKWARD_TRANSITIVE,
    FORWARD,
    FORWARD_TRANSITIVE,
    FULL,
    FULL_TRANSITIVE,
    NONE
  }

  @Spec CommandSpec spec;

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Subjects with their versions and the latest schema's id.")
  int list(@Mixin RegistryOptions registry, @Mixin OutputOptions output) {
    RegistryClient client = registry.client(null);
    List<Map<String, Object>> subjects = new ArrayList<>();
    for (String subject : client.subjects()) {
      RegistryClient.Version latest = client.version(subject, "latest");
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("subject", subject);
      row.put("versions", client.versions(subject));
      row.put("latestVersion", latest.version());
      row.put("latestId", latest.id());
      row.put("schema", AvroEvents.parse(latest.schema()).getFullName());
      subjects.add(row);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (output.json()) {
      OutputOptions.printJson(out, subjects);
    } else {
      List<List<String>> rows = new ArrayList<>();
      subjects.forEach(
          s ->
              rows.add(
                  List.of(
                      (String) s.get("subject"),
                      joined(s.get("versions")),
                      "" + s.get("latestId"),
                      (String) s.get("schema"))));
      OutputOptions.printTable(out, List.of("SUBJECT", "VERSIONS", "LATEST ID", "SCHEMA"), rows);
    }
    return ExitCodes.OK;
  }

  @Command(
      name = "versions",
      mixinStandardHelpOptions = true,
      description = "A subject's versions and their schema ids.")
  int versions(
      @Parameters(paramLabel = "SUBJECT", description = "e.g. user-events-value") String subject,
      @Mixin RegistryOptions registry,
      @Mixin OutputOptions output) {
    RegistryClient client = registry.client(null);
    List<RegistryClient.Version> versions = new ArrayList<>();
    for (int version : client.versions(subject)) {
      versions.add(client.version(subject, "" + version));
    }
    PrintWriter out = spec.commandLine().getOut();
    if (output.json()) {
      List<Map<String, Object>> rows = new ArrayList<>();
      versions.forEach(v -> rows.add(Map.of("version", v.version(), "id", v.id())));
      OutputOptions.printJson(out, rows);
    } else {
      List<List<String>> rows = new ArrayList<>();
      versions.forEach(
          v ->
              rows.add(
                  List.of(
                      "" + v.version(), "" + v.id(), AvroEvents.parse(v.schema()).getDoc() + "")));
      OutputOptions.printTable(out, List.of("VERSION", "ID", "DOC"), rows);
    }
    return ExitCodes.OK;
  }

  @Command(
      name = "show", // no --version of its own: here --version picks the schema's
      description =
          "A subject's schema, as JSON on stdout (save it as a .avsc file), its version and id on stderr.")
  int show(
      @Parameters(paramLabel = "SUBJECT") String subject,
      @Option(
              names = "--version",
              paramLabel = "N|latest",
              defaultValue = "latest",
              description = "Which version (default: ${DEFAULT-VALUE}).")
          String version,
      @Option(
              names = {"-h", "--help"},
              usageHelp = true,
              description = "Show this help message and exit.")
          boolean help,
      @Mixin RegistryOptions registry,
      @Mixin OutputOptions output) {
    if (!version.equals("latest") && !version.matches("[1-9][0-9]{0,8}")) {
      throw CliException.badInput(
          "--version takes a version number (1, 2, ...) or latest, got '" + version + "'", null);
    }
    RegistryClient.Version found = registry.client(null).version(subject, version);
    PrintWriter out = spec.commandLine().getOut();
    JsonNode schema = schemaJson(found.schema());
    if (output.json()) {
      Map<String, Object> answer = new LinkedHashMap<>();
      answer.put("subject", found.subject());
      answer.put("version", found.version());
      answer.put("id", found.id());
      answer.put("schema", schema);
      OutputOptions.printJson(out, answer);
    } else {
      spec.commandLine()
          .getErr()
          .printf("Subject %s version %d, id %d%n", subject, found.version(), found.id());
      OutputOptions.printJson(out, schema);
    }
    return ExitCodes.OK;
  }

  @Command(
      name = "register",
      mixinStandardHelpOptions = true,
      description =
          "Register a schema under a subject: a new version if it passes the subject's"
              + " compatibility rule (exit 1 with the registry's reason if not).")
  int register(
      @Parameters(paramLabel = "SUBJECT") String subject,
      @Option(names = "--file", paramLabel = "FILE.avsc", required = true) Path file,
      @Mixin RegistryOptions registry,
      @Mixin OutputOptions output) {
    Schema schema = read(file);
    RegistryClient client = registry.client(null);
    int id;
    try {
      id = client.register(subject, schema.toString());
    } catch (RegistryException e) {
      if (e.kind() == RegistryException.Kind.INCOMPATIBLE) {
        String mode = client.compatibilityLevel(subject);
        List<String> reasons = avroReasons(client, subject, schema, mode);
        throw new CliException(
            "Not registered: "
                + file
                + " is incompatible with "
                + subject
                + " ("
                + mode
                + "): "
                + (reasons.isEmpty() ? e.getMessage() : String.join("; ", reasons)),
            ExitCodes.FAILURE,
            e);
      }
      throw e;
    }
    RegistryClient.Version version =
        client
            .lookup(subject, schema.toString())
            .orElse(new RegistryClient.Version(subject, 0, id, ""));
    if (output.json()) {
      OutputOptions.printJson(
          spec.commandLine().getOut(),
          Map.of("subject", subject, "version", version.version(), "id", id));
    } else {
      spec.commandLine()
          .getOut()
          .printf(
              "Registered %s under %s: version %d, id %d%n", file, subject, version.version(), id);
    }
    return ExitCodes.OK;
  }

  @Command(
      name = "check",
      mixinStandardHelpOptions = true,
      description =
          "Test a schema against a subject's latest version under its compatibility rule, without"
              + " registering it: exit 0 if compatible, 1 with the reason if not.")
  int check(
      @Parameters(paramLabel = "SUBJECT") String subject,
      @Option(names = "--file", paramLabel = "FILE.avsc", required = true) Path file,
      @Mixin RegistryOptions registry,
      @Mixin OutputOptions output) {
    Schema schema = read(file);
    RegistryClient client = registry.client(null);
    RegistryClient.Compatibility verdict = client.compatibility(subject, schema.toString());
    String mode = client.compatibilityLevel(subject);
    List<String> reasons = new ArrayList<>(verdict.messages());
    if (!verdict.compatible() && reasons.isEmpty()) {
      reasons.addAll(avroReasons(client, subject, schema, mode));
    }
    if (output.json()) {
      Map<String, Object> answer = new LinkedHashMap<>();
      answer.put("subject", subject);
      answer.put("compatibility", mode);
      answer.put("compatible", verdict.compatible());
      answer.put("reasons", reasons);
      OutputOptions.printJson(spec.commandLine().getOut(), answer);
    } else if (verdict.compatible()) {
      spec.commandLine()
          .getOut()
          .printf("Compatible: %s can be registered under %s (%s)%n", file, subject, mode);
    } else {
      spec.commandLine()
          .getOut()
          .printf(
              "Incompatible: %s cannot be registered under %s (%s): %s%n",
              file,
              subject,
              mode,
              reasons.isEmpty() ? "the registry gave no reason" : String.join("; ", reasons));
    }
    return verdict.compatible() ? ExitCodes.OK : ExitCodes.FAILURE;
  }

  @Command(
      name = "compatibility",
      mixinStandardHelpOptions = true,
      description =
          "The compatibility rule of a subject, or the registry's global one; --set changes it.")
  int compatibility(
      @Parameters(paramLabel = "SUBJECT", arity = "0..1", description = "Default: the global rule.")
          String subject,
      @Option(
              names = "--set",
              paramLabel = "MODE",
              description = "One of: ${COMPLETION-CANDIDATES}.")
          Mode set,
      @Mixin RegistryOptions registry,
      @Mixin OutputOptions output) {
    RegistryClient client = registry.client(null);
    String mode =
        set == null
            ? client.compatibilityLevel(subject)
            : client.setCompatibilityLevel(subject, set.name());
    if (output.json()) {
      Map<String, Object> answer = new LinkedHashMap<>();
      answer.put("subject", subject);
      answer.put("compatibility", mode);
      OutputOptions.printJson(spec.commandLine().getOut(), answer);
    } else {
      spec.commandLine().getOut().println(mode);
    }
    return ExitCodes.OK;
  }

  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description = "Delete a subject and all its versions.")
  int delete(
      @Parameters(paramLabel = "SUBJECT") String subject,
      @Option(names = "--yes", description = "Yes, delete every version.") boolean yes,
      @Mixin RegistryOptions registry) {
    if (!yes) {
      throw CliException.badInput(
          "Deleting " + subject + " removes every version of it: add --yes to go ahead", null);
    }
    List<Integer> versions = registry.client(null).delete(subject);
    spec.commandLine()
        .getErr()
        .println("Deleted subject " + subject + " (versions " + joined(versions) + ")");
    return ExitCodes.OK;
  }

  private static Schema read(Path file) {
    return RegistryOptions.readSchema("", file);
  }

  /**
   * Avro's own reading of why: Apicurio's check says only yes or no, so the schemas are compared
   * here the way the rule asks (BACKWARD: the new schema reads data written with the latest).
   */
  private static List<String> avroReasons(
      RegistryClient client, String subject, Schema schema, String mode) {
    Schema latest;
    try {
      latest = AvroEvents.parse(client.version(subject, "latest").schema());
    } catch (RegistryException e) {
      return List.of();
    }
    List<SchemaCompatibility.Incompatibility> found = new ArrayList<>();
    if (!mode.startsWith("FORWARD")) {
      found.addAll(incompatibilities(schema, latest));
    }
    if (mode.startsWith("FORWARD") || mode.startsWith("FULL")) {
      found.addAll(incompatibilities(latest, schema));
    }
    return found.stream().map(SchemasCommand::explain).distinct().collect(Collectors.toList());
  }

  /** An incompatibility as what it means for the data. */
  private static String explain(SchemaCompatibility.Incompatibility found) {
    return switch (found.getType()) {
          case READER_FIELD_MISSING_DEFAULT_VALUE ->
              "new field "
                  + found.getMessage()
                  + " has no default, so events written before cannot be read with it";
          case MISSING_ENUM_SYMBOLS ->
              "enum symbols " + found.getMessage() + " were removed, and older events use them";
          default ->
              found.getType().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                  + ": "
                  + found.getMessage();
        }
        + " (at "
        + found.getLocation()
        + ")";
  }

  private static List<SchemaCompatibility.Incompatibility> incompatibilities(
      Schema reader, Schema writer) {
    return SchemaCompatibility.checkReaderWriterCompatibility(reader, writer)
        .getResult()
        .getIncompatibilities();
  }

  private static JsonNode schemaJson(String schema) {
    try {
      return EventJson.mapper().readTree(schema);
    } catch (IOException e) {
      return EventJson.mapper().getNodeFactory().textNode(schema);
    }
  }

  private static String joined(Object values) {
    return ((List<?>) values).stream().map(String::valueOf).collect(Collectors.joining(", "));
  }
}
