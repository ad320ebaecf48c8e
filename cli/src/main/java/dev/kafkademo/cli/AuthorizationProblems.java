package dev.kafkademo.cli;

import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;

/**
 * An operation the broker refused, said as the user would ask for it: which operation on which
 * resource ("not authorized to read topic orders"), and where the rule would go. Kafka's exceptions
 * name the resource; the command says what it was trying to do with it.
 */
final class AuthorizationProblems {
  private AuthorizationProblems() {}

  /**
   * @param command the command that was refused, as picocli names it ("kafka-demo topics create")
   * @param named the topic and group the command was given, for the exceptions that do not say
   *     which (an admin request's); each null when it was given none
   */
  static String describe(AuthorizationException error, String command, Named named) {
    String what;
    String acl;
    if (error instanceof TopicAuthorizationException topics) {
      Set<String> names = new TreeSet<>(topics.unauthorizedTopics());
      if (names.isEmpty() && named.topic() != null) {
        names.add(named.topic());
      }
      String name = names.isEmpty() ? "the topic" : "topic " + String.join(", ", names);
      what = topicOperation(command) + " " + name;
      acl = names.size() == 1 ? "kafka-demo acls list --topic " + names.iterator().next() : null;
    } else if (error instanceof GroupAuthorizationException group) {
      String id = group.groupId() != null ? group.groupId() : named.group();
      what = groupOperation(command) + " " + (id == null ? "the group" : "group " + id);
      acl = id == null ? null : "kafka-demo acls list --group " + id;
    } else if (error instanceof TransactionalIdAuthorizationException) {
      what = "use its transactional id (write on the transactional id)";
      acl = null;
    } else if (error instanceof ClusterAuthorizationException) {
      what = clusterOperation(command) + " on the cluster";
      acl = "kafka-demo acls list --cluster";
    } else {
      what = "do this";
      acl = null;
    }
    return "Not authorized to "
        + what
        + ": the broker's ACLs do not allow the principal of --command-config"
        + (acl == null ? "" : " (see " + acl + ")");
  }

  /** The topic and group a command was given (--topic, --group, or its argument), or nulls. */
  record Named(String topic, String group) {
    static Named of(picocli.CommandLine command) {
      var spec = command.getCommandSpec();
      String topic = optionValue(spec, "--topic");
      String group = optionValue(spec, "--group");
      var positionals = spec.positionalParameters();
      if (!positionals.isEmpty() && positionals.get(0).getValue() instanceof String first) {
        String name = spec.qualifiedName(" ");
        if (topic == null && name.contains(" topics ")) {
          topic = first;
        } else if (group == null && name.contains(" groups ")) {
          group = first;
        }
      }
      return new Named(topic, group);
    }

    private static String optionValue(picocli.CommandLine.Model.CommandSpec spec, String name) {
      var option = spec.findOption(name);
      return option != null && option.getValue() instanceof String value ? value : null;
    }
  }

  private static String topicOperation(String command) {
    if (command.endsWith(" producer")) {
      return "write to";
    }
    if (command.endsWith(" consumer") || command.endsWith(" sql")) {
      return "read";
    }
    if (command.endsWith(" streams") || command.endsWith(" connect")) {
      return "read or write";
    }
    if (command.endsWith(" topics create")) {
      return "create";
    }
    if (command.endsWith(" topics delete")) {
      return "delete";
    }
    if (command.endsWith(" topics alter")) {
      return "alter";
    }
    return command.endsWith(" groups reset-offsets") ? "read" : "describe";
  }

  private static String groupOperation(String command) {
    if (command.endsWith(" consumer") || command.endsWith(" streams")) {
      return "join";
    }
    if (command.endsWith(" groups reset-offsets")) {
      return "reset the offsets of";
    }
    if (command.endsWith(" groups delete")) {
      return "delete";
    }
    return "describe";
  }

  private static String clusterOperation(String command) {
    if (command.endsWith(" topics create") || command.endsWith(" producer")) {
      return "create topics";
    }
    if (command.contains(" acls ")) {
      return "alter or describe ACLs";
    }
    return "act";
  }
}
