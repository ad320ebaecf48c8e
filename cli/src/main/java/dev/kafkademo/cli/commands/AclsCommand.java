package dev.kafkademo.cli.commands;

import dev.kafkademo.cli.ExitCodes;
import dev.kafkademo.cli.options.ConnectionOptions;
import dev.kafkademo.cli.options.KafkaNames;
import dev.kafkademo.cli.options.OutputOptions;
import dev.kafkademo.kafka.admin.Acls;
import dev.kafkademo.kafka.admin.Cluster;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

@Command(
    name = "acls",
    mixinStandardHelpOptions = true,
    description = {
      "List, add and remove ACLs, like kafka-acls: who may do what to which topic, group,"
          + " transactional id or the cluster.",
      "The broker must run an authorizer (kafka-demo broker does with --sasl-users or --tls)."
    })
public final class AclsCommand {
  @Spec CommandSpec spec;

  /** The operations as Kafka names them (read, describe-configs, all, ...), in any case. */
  static final class OperationConverter implements ITypeConverter<AclOperation> {
    static final EnumSet<AclOperation> NAMED =
        EnumSet.complementOf(EnumSet.of(AclOperation.ANY, AclOperation.UNKNOWN));

    @Override
    public AclOperation convert(String value) {
      String name = value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
      for (AclOperation operation : NAMED) {
        if (operation.name().equals(name)) {
          return operation;
        }
      }
      throw new TypeConversionException(
          "'"
              + value
              + "' is not an operation; one of "
              + NAMED.stream()
                  .map(o -> o.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                  .collect(Collectors.joining(", ")));
    }
  }

  /** A principal as Kafka writes them, {@code User:alice}; a bare name is a user's. */
  static final class PrincipalConverter implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      String trimmed = value.trim();
      if (trimmed.isEmpty() || trimmed.endsWith(":")) {
        throw new TypeConversionException(
            "a principal is User:NAME (or just NAME), got '" + value + "'");
      }
      return trimmed.contains(":") ? trimmed : "User:" + trimmed;
    }
  }

  /** The resource a rule is about (at most one), as a mixin: picocli's groups cannot be shared. */
  static final class ResourceOptions {
    @Option(
        names = "--topic",
        paramLabel = "TOPIC",
        converter = KafkaNames.Topic.class,
        description = "A topic.")
    String topic;

    @Option(
        names = "--group",
        paramLabel = "GROUP",
        converter = KafkaNames.Group.class,
        description = "A consumer group.")
    String group;

    @Option(
        names = "--transactional-id",
        paramLabel = "ID",
        description = "A producer's transactional id.")
    String transactionalId;

    @Option(names = "--cluster", description = "The cluster itself (creating topics, for one).")
    boolean cluster;

    @Option(names = "--prefixed", description = "The name is a prefix: every topic it starts.")
    boolean prefixed;
  }

  /** Allowed or denied, to whom (one of the two), as a mixin. */
  static final class PermissionOptions {
    @Option(
        names = "--allow",
        paramLabel = "PRINCIPAL",
        converter = PrincipalConverter.class,
        description = "Allow this principal (User:alice, or alice).")
    String allow;

    @Option(
        names = "--deny",
        paramLabel = "PRINCIPAL",
        converter = PrincipalConverter.class,
        description = "Deny this principal; a deny wins over any allow.")
    String deny;

    String principal() {
      return allow != null ? allow : deny;
    }

    /** True for allow, false for deny, null when neither was given. */
    Boolean allows() {
      return allow != null ? Boolean.TRUE : deny != null ? Boolean.FALSE : null;
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "The rules, all or those on one resource or for one principal.")
  int list(
      @Mixin ResourceOptions resource,
      @Option(
              names = "--principal",
              paramLabel = "PRINCIPAL",
              converter = PrincipalConverter.class,
              description = "Only this principal's rules.")
          String principal,
      @Mixin ConnectionOptions connection,
      @Mixin OutputOptions output) {
    Acls.Resource chosen = resource(resource, false);
    try (Cluster cluster = connection.connect()) {
      List<Acls.Rule> rules = cluster.acls().list(chosen, principal);
      PrintWriter out = spec.commandLine().getOut();
      if (output.json()) {
        OutputOptions.printJson(out, rules);
      } else if (rules.isEmpty()) {
        spec.commandLine()
            .getErr()
            .println(
                "No ACLs"
                    + (chosen == null && principal == null ? "" : " match")
                    + ": with none, the broker lets every authenticated user do everything"
                    + " (allow.everyone.if.no.acl.found)");
      } else {
        printRules(out, rules);
      }
    }
    return ExitCodes.OK;
  }

  @Command(
      name = "add",
      mixinStandardHelpOptions = true,
      description = {
        "Allow or deny a principal operations on a resource, a rule per operation.",
        "Example: acls add --allow User:alice --operation read --topic orders"
      })
  int add(
      @Mixin PermissionOptions permission,
      @Option(
              names = "--operation",
              paramLabel = "OP",
              required = true,
              split = ",",
              converter = OperationConverter.class,
              description =
                  "read, write, create, delete, alter, describe, describe-configs, alter-configs,"
                      + " idempotent-write, cluster-action, all (repeat or separate with commas).")
          List<AclOperation> operations,
      @Mixin ResourceOptions resource,
      @Option(
              names = "--host",
              paramLabel = "HOST",
              defaultValue = "*",
              description = "Only from this address (default: any).")
          String host,
      @Mixin ConnectionOptions connection) {
    Boolean allows = permission(permission, true);
    Acls.Resource chosen = resource(resource, true);
    try (Cluster cluster = connection.connect()) {
      List<Acls.Rule> added =
          cluster.acls().add(chosen, permission.principal(), allows, operations, host);
      PrintWriter out = spec.commandLine().getOut();
      out.printf("Added %d rule%s:%n", added.size(), added.size() == 1 ? "" : "s");
      printRules(out, added);
    }
    return ExitCodes.OK;
  }

  @Command(
      name = "remove",
      mixinStandardHelpOptions = true,
      description = {
        "Remove the rules that match: on a resource, for a principal, of an operation.",
        "A resource or a principal is needed: nothing removes every rule at once."
      })
  int remove(
      @Mixin PermissionOptions permission,
      @Option(
              names = "--principal",
              paramLabel = "PRINCIPAL",
              converter = PrincipalConverter.class,
              description = "Rules of this principal, allowing or denying.")
          String principal,
      @Option(
              names = "--operation",
              paramLabel = "OP",
              split = ",",
              converter = OperationConverter.class,
              description = "Only rules for these operations.")
          List<AclOperation> operations,
      @Mixin ResourceOptions resource,
      @Option(names = "--host", paramLabel = "HOST", description = "Only rules for this address.")
          String host,
      @Mixin ConnectionOptions connection) {
    Boolean allows = permission(permission, false);
    if (allows != null && principal != null) {
      throw new ParameterException(
          spec.commandLine(), "--principal and --allow/--deny each name the principal: give one");
    }
    String who = allows != null ? permission.principal() : principal;
    Acls.Resource chosen = resource(resource, false);
    if (chosen == null && who == null) {
      throw new ParameterException(
          spec.commandLine(),
          "acls remove needs --topic, --group, --transactional-id, --cluster or a principal:"
              + " without one it would remove every rule");
    }
    try (Cluster cluster = connection.connect()) {
      List<Acls.Rule> removed =
          cluster
              .acls()
              .remove(chosen, who, allows, operations == null ? List.of() : operations, host);
      PrintWriter out = spec.commandLine().getOut();
      out.printf(
          "Removed %d rule%s%s%n",
          removed.size(),
          removed.size() == 1 ? "" : "s",
          removed.isEmpty() ? " (none matched)" : ":");
      printRules(out, removed);
    }
    return ExitCodes.OK;
  }

  /** --allow or --deny, not both: true for allow, null for neither (when that is allowed). */
  private Boolean permission(PermissionOptions permission, boolean required) {
    if (permission.allow != null && permission.deny != null) {
      throw new ParameterException(spec.commandLine(), "--allow and --deny: give one of them");
    }
    if (required && permission.allows() == null) {
      throw new ParameterException(
          spec.commandLine(), "say whom the rule is for: --allow PRINCIPAL or --deny PRINCIPAL");
    }
    return permission.allows();
  }

  /** The one resource named, or null for none; more than one is a usage error. */
  private Acls.Resource resource(ResourceOptions choice, boolean required) {
    List<Acls.Resource> named = new ArrayList<>();
    if (choice.topic != null) {
      named.add(new Acls.Resource(ResourceType.TOPIC, choice.topic, choice.prefixed));
    }
    if (choice.group != null) {
      named.add(new Acls.Resource(ResourceType.GROUP, choice.group, choice.prefixed));
    }
    if (choice.transactionalId != null) {
      named.add(
          new Acls.Resource(
              ResourceType.TRANSACTIONAL_ID, choice.transactionalId, choice.prefixed));
    }
    if (choice.cluster) {
      if (choice.prefixed) {
        throw new ParameterException(
            spec.commandLine(), "--prefixed goes with a name, not --cluster");
      }
      named.add(Acls.Resource.CLUSTER);
    }
    if (named.size() > 1) {
      throw new ParameterException(
          spec.commandLine(),
          "a rule is about one resource: give one of --topic, --group, --transactional-id and"
              + " --cluster");
    }
    if (named.isEmpty() && choice.prefixed) {
      throw new ParameterException(
          spec.commandLine(), "--prefixed needs --topic, --group or --transactional-id");
    }
    if (named.isEmpty() && required) {
      throw new ParameterException(
          spec.commandLine(),
          "name the resource: --topic, --group, --transactional-id or --cluster");
    }
    return named.isEmpty() ? null : named.get(0);
  }

  private static void printRules(PrintWriter out, List<Acls.Rule> rules) {
    List<List<String>> rows = new ArrayList<>();
    for (Acls.Rule rule : rules) {
      rows.add(
          Arrays.asList(
              rule.principal(),
              rule.permission(),
              rule.operation(),
              rule.resourceType() + ":" + rule.resourceName(),
              rule.patternType(),
              rule.host()));
    }
    OutputOptions.printTable(
        out, List.of("PRINCIPAL", "PERMISSION", "OPERATION", "RESOURCE", "PATTERN", "HOST"), rows);
  }
}
