package dev.kafkademo.cli.filter;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.CelType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.kafkademo.cli.output.HeaderValues;
import dev.kafkademo.events.UserEvent;
import dev.kafkademo.kafka.consume.RecordFilter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;

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
 */
public final class CelFilter implements RecordFilter {
  private final CelRuntime.Program program;
  private final boolean raw;
  private long failures;
  private String firstFailure;

  private CelFilter(CelRuntime.Program program, boolean raw) {
    this.program = program;
    this.raw = raw;
  }

  /**
   * @param raw true when records are read raw: {@code value} is then the record's text
   * @throws InvalidFilterException on a syntax or type error, or a result that is not a bool
   */
  public static CelFilter compile(String expression, boolean raw) {
    CelType value = raw ? SimpleType.STRING : MapType.create(SimpleType.STRING, SimpleType.DYN);
    Cel cel =
        CelFactory.standardCelBuilder()
            // 149.99 > 100: a JSON number compares with an int or a double literal alike.
            .setOptions(CelOptions.current().enableHeterogeneousNumericComparisons(true).build())
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS) // has(), exists(), all(), ...
            .addVar("key", SimpleType.STRING)
            .addVar("value", value)
            .addVar("headers", MapType.create(SimpleType.STRING, SimpleType.STRING))
            .addVar("partition", SimpleType.INT)
            .addVar("offset", SimpleType.INT)
            .addVar("timestamp", SimpleType.INT)
            .setResultType(SimpleType.BOOL)
            .build();
    try {
      CelAbstractSyntaxTree ast = cel.compile(expression).getAst();
      return new CelFilter(cel.createProgram(ast), raw);
    } catch (CelValidationException e) {
      throw new InvalidFilterException(describe(e));
    } catch (dev.cel.common.CelException e) {
      throw new InvalidFilterException(e.getMessage());
    }
  }

  /** The first error, on one line: where it is (column from 1) and what it is. */
  private static String describe(CelValidationException e) {
    if (e.getErrors().isEmpty()) {
      return e.getMessage();
    }
    CelIssue issue = e.getErrors().get(0);
    String message =
        issue
            .getMessage()
            .replace(" (in container '')", "")
            // the overloads CEL has for the operator: a line of protobuf types nobody asked for
            .replaceAll(" \\(candidates: .*", "")
            .replaceAll("\\s+", " ")
            .trim();
    int line = issue.getSourceLocation().getLine();
    int column = issue.getSourceLocation().getColumn();
    if (line <= 0 || column < 0) {
      return message;
    }
    return (line > 1 ? "line " + line + ", " : "") + "column " + (column + 1) + ": " + message;
  }

  @Override
  public boolean shows(ConsumerRecord<byte[], byte[]> record, UserEvent event) {
    try {
      Object result =
          program.eval(
              name ->
                  Optional.ofNullable(
                      switch (name) {
                        case "key" -> record.key() == null ? "" : utf8(record.key());
                        case "value" -> raw || event == null ? rawValue(record) : valueOf(event);
                        case "headers" -> headers(record);
                        case "partition" -> (long) record.partition();
                        case "offset" -> record.offset();
                        case "timestamp" -> record.timestamp();
                        default -> null;
                      }));
      return Boolean.TRUE.equals(result);
    } catch (CelEvaluationException e) {
      failures++;
      if (firstFailure == null) {
        firstFailure =
            record.topic()
                + "-"
                + record.partition()
                + "@"
                + record.offset()
                + ": "
                + e.getMessage().replaceAll("\\s+", " ").trim();
      }
      return false;
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

  /** CEL's Java runtime takes Long and Double for numbers; JSON reads give Integer, BigDecimal. */
  private static Object celValue(Object value) {
    if (value == null) {
      return com.google.protobuf.NullValue.NULL_VALUE; // CEL's null, as the runtime knows it
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
