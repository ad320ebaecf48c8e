package dev.kafkademo.cli.filter;

import com.google.api.expr.v1alpha1.Type;
import dev.kafkademo.cli.output.HeaderValues;
import dev.kafkademo.events.UserEvent;
import dev.kafkademo.kafka.consume.RecordFilter;
import java.io.OutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.projectnessie.cel.Env;
import org.projectnessie.cel.EnvOption;
import org.projectnessie.cel.Program;
import org.projectnessie.cel.checker.Decls;
import org.projectnessie.cel.checker.Types;
import org.projectnessie.cel.common.CELError;
import org.projectnessie.cel.common.types.Err;
import org.projectnessie.cel.common.types.NullT;
import org.projectnessie.cel.common.types.ref.Val;
import org.projectnessie.cel.interpreter.Activation;
import org.projectnessie.cel.interpreter.ResolvedValue;

/**
 * {@code consumer --filter}: a CEL expression (the language of Kafka UI's message filters) over a
 * record, true for the records to show. Variables: {@code key} (string, "" when there is none),
 * {@code value} (the event as a map, as its JSON reads; the text with --raw), {@code headers} (map
 * of string to string), {@code partition}, {@code offset}, {@code timestamp} (epoch ms).
 *
 * <p>The expression is checked when it is compiled, before any connection: a syntax or type error
 * is an {@link InvalidFilterException} with its position. A record the expression cannot be
 * evaluated on (a field it does not have) is not shown; the first such failure is kept for the
 * summary.
 *
 * <p>CEL here is projectnessie's cel-java, a port of cel-go: its interpreter resolves each call's
 * overload when the program is planned, and evaluates the filter in about a third of the time
 * Google's dev.cel (0.14) takes on Java 17, which resolves overloads at every call.
 */
public final class CelFilter implements RecordFilter {
  private final Program program;
  private final boolean raw;
  private long failures;
  private String firstFailure;

  private CelFilter(Program program, boolean raw) {
    this.program = program;
    this.raw = raw;
  }

  /**
   * @param raw true when records are read raw: {@code value} is then the record's text
   * @throws InvalidFilterException on a syntax or type error, or a result that is not a bool
   */
  public static CelFilter compile(String expression, boolean raw) {
    Env env =
        Env.newEnv(
            EnvOption.declarations(
                Decls.newVar("key", Decls.String),
                Decls.newVar(
                    "value", raw ? Decls.String : Decls.newMapType(Decls.String, Decls.Dyn)),
                Decls.newVar("headers", Decls.newMapType(Decls.String, Decls.String)),
                Decls.newVar("partition", Decls.Int),
                Decls.newVar("offset", Decls.Int),
                Decls.newVar("timestamp", Decls.Int)));
    // Parsed, then checked: Env.compile does both, but throws a NullPointerException where a
    // syntax error leaves no tree to check (cel-java 0.6.0).
    Env.AstIssuesTuple parsed = withoutConsoleErrors(() -> env.parse(expression));
    if (parsed.hasIssues()) {
      throw new InvalidFilterException(describe(parsed.getIssues().getErrors().get(0)));
    }
    Env.AstIssuesTuple checked = env.check(parsed.getAst());
    if (checked.hasIssues()) {
      throw new InvalidFilterException(describe(checked.getIssues().getErrors().get(0)));
    }
    Type result = checked.getAst().getResultType();
    if (!result.equals(Decls.Bool) && !result.equals(Decls.Dyn)) {
      throw new InvalidFilterException(
          "the expression gives "
              + Types.formatCheckedType(result)
              + ", and a filter must give a bool (true for the records to show)");
    }
    return new CelFilter(env.program(checked.getAst()), raw);
  }

  /**
   * Parses with System.err muted: cel-java 0.6.0 leaves ANTLR's console listener on, which prints
   * each syntax error there too, when it is already one line of ours. Compiled before the command
   * starts any other thread, so nothing else is muted.
   */
  private static <T> T withoutConsoleErrors(Supplier<T> parse) {
    PrintStream err = System.err;
    System.setErr(new PrintStream(OutputStream.nullOutputStream()));
    try {
      return parse.get();
    } finally {
      System.setErr(err);
    }
  }

  /** The first error, on one line: where it is (column from 1) and what it is. */
  private static String describe(CELError error) {
    String message =
        error
            .getMessage()
            .replace(" (in container '')", "")
            .replaceFirst("^Syntax error: ", "")
            .replaceAll("\\s+", " ")
            .trim();
    int line = error.getLocation().line();
    int column = error.getLocation().column();
    if (line <= 0 || column < 0) {
      return message;
    }
    return (line > 1 ? "line " + line + ", " : "") + "column " + (column + 1) + ": " + message;
  }

  @Override
  public boolean shows(ConsumerRecord<byte[], byte[]> record, UserEvent event) {
    Val result;
    String failure;
    try {
      result = program.eval(new RecordVariables(record, event, raw)).getVal();
      failure = Err.isError(result) ? String.valueOf(result.value()) : null;
    } catch (RuntimeException e) { // what the interpreter throws rather than returns as an error
      result = null;
      failure = e.getMessage();
    }
    if (failure == null) {
      return Boolean.TRUE.equals(result.value());
    }
    failures++;
    if (firstFailure == null) {
      firstFailure =
          record.topic()
              + "-"
              + record.partition()
              + "@"
              + record.offset()
              + ": "
              + failure.replaceAll("\\s+", " ").trim();
    }
    return false;
  }

  /** The record's variables, each made when the expression first asks for it. */
  private record RecordVariables(
      ConsumerRecord<byte[], byte[]> record, UserEvent event, boolean raw) implements Activation {
    @Override
    public ResolvedValue resolveName(String name) {
      Object value =
          switch (name) {
            case "key" -> record.key() == null ? "" : utf8(record.key());
            case "value" -> raw || event == null ? rawValue(record) : valueOf(event);
            case "headers" -> headers(record);
            case "partition" -> (long) record.partition();
            case "offset" -> record.offset();
            case "timestamp" -> record.timestamp();
            default -> null;
          };
      return value == null ? ResolvedValue.ABSENT : ResolvedValue.resolvedValue(value);
    }

    @Override
    public Activation parent() {
      return null;
    }
  }

  /** Records the expression could not be evaluated on (not shown). */
  public long failures() {
    return failures;
  }

  /** Where and why it first could not be evaluated, or null. */
  public String firstFailure() {
    return firstFailure;
  }

  private static String rawValue(ConsumerRecord<byte[], byte[]> record) {
    return record.value() == null ? "" : utf8(record.value());
  }

  /**
   * The event as its JSON reads: the names of the JSON fields, numbers as int or double. A view,
   * not a copy: each field is made when the expression asks for it, so a filter on the event type
   * does not turn every event's id and time into text.
   */
  static Map<String, Object> valueOf(UserEvent event) {
    return new LazyMap(
        EVENT_FIELDS,
        field ->
            switch (field) {
              case "eventId" -> event.eventId().toString();
              case "userId" -> event.userId();
              case "eventType" -> event.eventType().jsonName();
              case "timestamp" -> event.timestamp().toString();
              case "properties" -> celMap(event.properties());
              default -> null;
            });
  }

  private static final Set<String> EVENT_FIELDS =
      Set.of("eventId", "userId", "eventType", "timestamp", "properties");

  /** Headers as text, as the consumer shows them (the last value of a name; binary in base64). */
  private static Map<String, String> headers(ConsumerRecord<byte[], byte[]> record) {
    return HeaderValues.of(record.headers()).values();
  }

  /** CEL takes Long and Double for numbers; JSON reads also give Integer and BigDecimal. */
  private static Object celValue(Object value) {
    if (value == null) {
      return NullT.NullValue; // CEL's null
    }
    if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof BigDecimal || value instanceof Float || value instanceof BigInteger) {
      return ((Number) value).doubleValue();
    }
    if (value instanceof Map<?, ?> map) {
      return celMap(map);
    }
    if (value instanceof List<?> list) {
      List<Object> converted = new ArrayList<>(list.size());
      list.forEach(item -> converted.add(celValue(item)));
      return converted;
    }
    return value;
  }

  /** A JSON object's map, its values converted as they are asked for. */
  @SuppressWarnings("unchecked") // a JSON object's names are strings
  private static Map<String, Object> celMap(Map<?, ?> map) {
    return new LazyMap((Set<String>) map.keySet(), name -> celValue(map.get(name)));
  }

  /**
   * A read-only map whose values are made when the expression asks for them: the event's fields and
   * its properties, so that a filter on the event type does not turn every event's id, time and
   * properties into CEL values.
   */
  private static final class LazyMap extends AbstractMap<String, Object> {
    private final Set<String> keys;
    private final Function<String, Object> value;

    LazyMap(Set<String> keys, Function<String, Object> value) {
      this.keys = keys;
      this.value = value;
    }

    @Override
    public Object get(Object key) {
      return key instanceof String name && keys.contains(name) ? value.apply(name) : null;
    }

    @Override
    public boolean containsKey(Object key) {
      return keys.contains(key);
    }

    @Override
    public int size() {
      return keys.size();
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
      Map<String, Object> all = new LinkedHashMap<>();
      keys.forEach(key -> all.put(key, value.apply(key)));
      return all.entrySet();
    }
  }

  private static String utf8(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** A filter that does not compile or check: the message says where and what. */
  public static final class InvalidFilterException extends RuntimeException {
    InvalidFilterException(String message) {
      super(message);
    }
  }
}
