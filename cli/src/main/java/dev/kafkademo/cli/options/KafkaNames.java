package dev.kafkademo.cli.options;

import dev.kafkademo.cli.Printable;
import java.util.Set;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Topic and group names checked where they are typed, so that a bad one is a usage error (exit 2)
 * that says what is wrong, not a client exception later. Kafka's rules for topic names: 1 to 249
 * characters of ASCII letters, digits, '.', '_' and '-', and not "." or "..". (Kafka checks them in
 * an internal class only, so the rules are repeated here.)
 */
public final class KafkaNames {
  public static final int MAX_TOPIC_LENGTH = 249;
  private static final Pattern LEGAL_TOPIC = Pattern.compile("[a-zA-Z0-9._-]+");

  private KafkaNames() {}

  /** Why {@code name} cannot be a topic, or null when it can. */
  public static String topicProblem(String name) {
    if (name.isEmpty()) {
      return "a topic name cannot be empty";
    }
    if (name.equals(".") || name.equals("..")) {
      return "a topic cannot be named '" + name + "'";
    }
    if (name.length() > MAX_TOPIC_LENGTH) {
      return "a topic name has at most "
          + MAX_TOPIC_LENGTH
          + " characters, "
          + Printable.quoted(name)
          + " has "
          + name.length();
    }
    if (!LEGAL_TOPIC.matcher(name).matches()) {
      return Printable.quoted(name)
          + " is not a topic name: use letters, digits, '.', '_' and '-' only";
    }
    return null;
  }

  /** A topic option or parameter. */
  public static final class Topic implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      String problem = topicProblem(value);
      if (problem != null) {
        throw new TypeConversionException(problem);
      }
      return value;
    }
  }

  /**
   * A topic our commands write to: not one of Kafka's internal topics, which the broker refuses to
   * clients and which must never be created as ordinary topics.
   */
  public static final class WritableTopic implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      String name = new Topic().convert(value);
      if (INTERNAL_TOPICS.contains(name)) {
        throw new TypeConversionException(
            name + " is one of Kafka's internal topics: clients cannot write to it");
      }
      return name;
    }
  }

  /** Kafka's own topics, kept by the brokers' coordinators. */
  public static final Set<String> INTERNAL_TOPICS =
      Set.of("__consumer_offsets", "__transaction_state", "__share_group_state");

  /** A consumer group id: any text but an empty or blank one. */
  public static final class Group implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      if (value.isBlank()) {
        throw new TypeConversionException("a group id cannot be empty");
      }
      return value;
    }
  }
}
