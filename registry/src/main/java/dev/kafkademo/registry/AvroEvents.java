package dev.kafkademo.registry;

import dev.kafkademo.events.EventType;
import dev.kafkademo.events.InvalidEventException;
import dev.kafkademo.events.UserEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.Encoder;
import org.apache.avro.io.EncoderFactory;

/**
 * User events as Avro records, following whichever version of the user-event schema is given:
 * {@code eventId}, {@code userId}, {@code eventType}, {@code timestamp} and a {@code properties}
 * record of optional typed fields, each version's new fields filled from their defaults.
 *
 * <p>Properties are a record, not a map: a map of strings would let a producer send an amount as
 * "ten euros" and the registry could not object; with typed fields it can, and a property the
 * schema does not know is refused here, before anything is sent.
 */
public final class AvroEvents {
  /** The schema version producers write and consumers read into, unless told otherwise. */
  public static final String CURRENT = "user-event-v2.avsc";

  /**
   * Logical types as Java types (UUID, Instant, BigDecimal), in Avro's own {@code GenericData}: for
   * it (not for a subclass) Avro reads through a reader built once per pair of schemas (its "fast
   * reader") instead of interpreting both schemas for every record.
   */
  private static final GenericData MODEL = withLogicalTypes(new GenericData());

  private static GenericData withLogicalTypes(GenericData model) {
    model.addLogicalTypeConversion(new Conversions.UUIDConversion());
    model.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
    model.addLogicalTypeConversion(new Conversions.DecimalConversion());
    return model;
  }

  private AvroEvents() {}

  /** A schema bundled in the jar ({@code schemas/} in the repository). */
  public static Schema bundled(String name) {
    try (InputStream in = AvroEvents.class.getResourceAsStream("/schemas/" + name)) {
      if (in == null) {
        throw new IllegalStateException("schema " + name + " is not in the jar");
      }
      return new Schema.Parser().parse(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Schema current() {
    return bundled(CURRENT);
  }

  /**
   * A schema from a {@code .avsc} file.
   *
   * @throws IllegalArgumentException with what is wrong: not readable, not a schema, not a record
   */
  public static Schema read(Path file) throws IOException {
    Schema schema;
    try {
      schema = parse(Files.readString(file));
    } catch (SchemaParseException e) {
      throw new IllegalArgumentException("not an Avro schema: " + reason(e), e);
    }
    return schema;
  }

  /** Why the text is not a schema, in one line: JSON's own words and where, or Avro's. */
  private static String reason(SchemaParseException e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof com.fasterxml.jackson.core.JsonProcessingException json) {
        return dev.kafkademo.events.EventJson.problem(json);
      }
    }
    return e.getMessage().lines().findFirst().orElse("");
  }

  /** Parses schema text, as written in a file or returned by the registry. */
  public static Schema parse(String text) {
    Schema schema = new Schema.Parser().parse(text);
    if (schema.getType() != Schema.Type.RECORD) {
      throw new SchemaParseException("expected a record schema, got " + schema.getType());
    }
    return schema;
  }

  /**
   * Encodes events with one schema. The schema is worked out once: each field's source in the
   * event, each property's position, type and default, and a writer per field that puts its value
   * straight into Avro's encoder. Not thread-safe: it reuses its buffers.
   *
   * <p>Why not a {@code GenericRecord} through Avro's {@code GenericDatumWriter}: that builds two
   * records per event and looks up each value's type and conversion on the way out, and took twice
   * as long as writing the event as JSON. The shapes events have (strings, the event-type enum,
   * timestamp-millis, optional properties) are written here with the encoder's own calls; any other
   * shape a schema of one's own may have still goes through {@code GenericDatumWriter}.
   */
  public static final class Writer {
    /** A field of the properties record. */
    private record Property(String name, int position, Schema type) {}

    /** What goes into a top-level field, by the field's position. */
    private enum Source {
      EVENT_ID,
      USER_ID,
      EVENT_TYPE,
      TIMESTAMP,
      PROPERTIES,
      DEFAULT
    }

    private final Schema schema;
    private final Source[] sources;
    private final ValueWriter[] fieldWriters;

    /** Each top-level field's default, by position (used where the source is DEFAULT). */
    private final Object[] fieldDefaults;

    /** This event's values by field position, and its properties' by property position. */
    private final Object[] values;

    private final Object[] propertyValues;

    /**
     * Each event type as the schema's eventType field holds it: a symbol of its enum, or the name
     * where it is a string; absent where the schema has no place for it.
     */
    private final Map<EventType, Object> eventTypes = new EnumMap<>(EventType.class);

    private Schema eventTypeSchema;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);
    private final Map<String, Property> properties = new HashMap<>();
    private final ValueWriter[] propertyWriters;

    /** The properties record's defaults, by position: copied, then the event's set on top. */
    private final Object[] propertyDefaults;

    /** Why an event cannot be written, when it is the schema's fault: a field without a default. */
    private final String missingDefault;

    /** Writes into {@link #buffer}, made once: made again per event, it would wrap it again. */
    private final BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(buffer, null);

    public Writer(Schema schema) {
      this.schema = schema;
      Schema.Field propertiesField = schema.getField("properties");
      Schema propertiesSchema = propertiesField == null ? null : propertiesField.schema();
      if (propertiesSchema != null && propertiesSchema.getType() != Schema.Type.RECORD) {
        throw new IllegalArgumentException("the schema's properties field must be a record");
      }
      String missing = null;
      int fieldCount = schema.getFields().size();
      this.sources = new Source[fieldCount];
      this.fieldWriters = new ValueWriter[fieldCount];
      this.fieldDefaults = new Object[fieldCount];
      this.values = new Object[fieldCount];
      for (Schema.Field field : schema.getFields()) {
        Source source =
            switch (field.name()) {
              case "eventId" -> Source.EVENT_ID;
              case "userId" -> Source.USER_ID;
              case "eventType" -> Source.EVENT_TYPE;
              case "timestamp" -> Source.TIMESTAMP;
              case "properties" -> Source.PROPERTIES;
              default -> Source.DEFAULT;
            };
        sources[field.pos()] = source;
        fieldWriters[field.pos()] = source == Source.PROPERTIES ? null : writerFor(field.schema());
        if (source == Source.EVENT_TYPE) {
          eventTypeSchema = field.schema();
          for (EventType type : EventType.values()) {
            if (eventTypeSchema.getType() == Schema.Type.STRING) {
              eventTypes.put(type, type.jsonName());
            } else if (eventTypeSchema.getType() == Schema.Type.ENUM
                && eventTypeSchema.hasEnumSymbol(type.jsonName())) {
              eventTypes.put(type, new GenericData.EnumSymbol(eventTypeSchema, type.jsonName()));
            }
          }
        } else if (source == Source.DEFAULT) {
          if (field.hasDefaultValue()) {
            fieldDefaults[field.pos()] = MODEL.getDefaultValue(field);
          } else {
            missing =
                "the schema's field "
                    + field.name()
                    + " has no default and events have no such field";
          }
        }
      }
      int propertyCount = propertiesSchema == null ? 0 : propertiesSchema.getFields().size();
      this.propertyDefaults = new Object[propertyCount];
      this.propertyValues = new Object[propertyCount];
      this.propertyWriters = new ValueWriter[propertyCount];
      if (propertiesSchema != null) {
        for (Schema.Field field : propertiesSchema.getFields()) {
          if (!field.hasDefaultValue() && missing == null) {
            missing = "the schema's property " + field.name() + " has no default";
          }
          propertyDefaults[field.pos()] =
              field.hasDefaultValue() ? MODEL.getDefaultValue(field) : null;
          propertyWriters[field.pos()] = writerFor(field.schema());
          properties.put(
              field.name(), new Property(field.name(), field.pos(), nonNull(field.schema())));
        }
      }
      this.missingDefault = missing;
    }

    /**
     * {@code prefix} then the event's Avro binary encoding. The event is checked against the schema
     * before a byte of it is written. The encoder buffers what it writes and hands it on in one
     * piece: unbuffered, each byte of a number would be a call to the stream.
     */
    public byte[] encode(byte[] prefix, UserEvent event) throws InvalidEventException {
      if (missingDefault != null) {
        throw new InvalidEventException("cannot be written: " + missingDefault);
      }
      for (int position = 0; position < sources.length; position++) {
        values[position] =
            switch (sources[position]) {
              case EVENT_ID -> event.eventId();
              case USER_ID -> event.userId();
              case EVENT_TYPE -> eventType(event.eventType());
              case TIMESTAMP -> millis(event.timestamp());
              case PROPERTIES -> properties(event.properties());
              case DEFAULT -> fieldDefaults[position];
            };
      }
      buffer.reset();
      buffer.write(prefix, 0, prefix.length);
      try {
        try {
          for (int position = 0; position < sources.length; position++) {
            if (sources[position] == Source.PROPERTIES) {
              for (int property = 0; property < propertyWriters.length; property++) {
                propertyWriters[property].write(propertyValues[property], encoder);
              }
            } else {
              fieldWriters[position].write(values[position], encoder);
            }
          }
        } finally {
          // Into the buffer, all of it: what a value that does not fit left half-written is then
          // cleared with the buffer by the next event, not written into it.
          encoder.flush();
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (AvroRuntimeException | ClassCastException e) {
        throw new InvalidEventException("does not fit schema " + schema.getFullName() + ": " + e);
      }
      return buffer.toByteArray();
    }

    private Object eventType(EventType type) throws InvalidEventException {
      Object value = eventTypes.get(type);
      if (value == null) {
        throw new InvalidEventException(
            "eventType "
                + type.jsonName()
                + " is not one of the schema's "
                + (eventTypeSchema.getType() == Schema.Type.ENUM
                    ? eventTypeSchema.getEnumSymbols()
                    : "type " + eventTypeSchema.getType()));
      }
      return value;
    }

    /** Fills {@link #propertyValues}: the defaults, then the event's own, checked. */
    private Object[] properties(Map<String, Object> given) throws InvalidEventException {
      System.arraycopy(propertyDefaults, 0, propertyValues, 0, propertyDefaults.length);
      for (Map.Entry<String, Object> property : given.entrySet()) {
        Property field = properties.get(property.getKey());
        if (field == null) {
          throw new InvalidEventException(
              "property "
                  + property.getKey()
                  + " is not in the schema (it has "
                  + String.join(", ", properties.keySet())
                  + ")");
        }
        propertyValues[field.position()] = value(field.name(), property.getValue(), field.type());
      }
      return propertyValues;
    }
  }

  /** Writes a value of one schema to Avro's encoder. */
  @FunctionalInterface
  private interface ValueWriter {
    void write(Object value, Encoder out) throws IOException;
  }

  /**
   * A writer for values of {@code schema}, as {@link Writer} holds them: the shapes events have
   * written with the encoder's own calls, anything else through Avro's {@code GenericDatumWriter}
   * (which also turns a decimal into its bytes).
   */
  private static ValueWriter writerFor(Schema schema) {
    String logical = schema.getLogicalType() == null ? null : schema.getLogicalType().getName();
    switch (schema.getType()) {
      case NULL:
        return (value, out) -> out.writeNull();
      case STRING:
        if (logical == null || logical.equals("uuid")) {
          return (value, out) -> out.writeString(value.toString());
        }
        break;
      case ENUM:
        return (value, out) -> out.writeEnum(schema.getEnumOrdinal(value.toString()));
      case LONG:
        if (logical == null) {
          return (value, out) -> out.writeLong(((Number) value).longValue());
        }
        if (logical.equals("timestamp-millis")) {
          return (value, out) ->
              out.writeLong(
                  value instanceof Instant at ? at.toEpochMilli() : ((Number) value).longValue());
        }
        break;
      case INT:
        if (logical == null) {
          return (value, out) -> out.writeInt(((Number) value).intValue());
        }
        break;
      case BOOLEAN:
        return (value, out) -> out.writeBoolean((Boolean) value);
      case DOUBLE:
        return (value, out) -> out.writeDouble(((Number) value).doubleValue());
      case UNION:
        List<Schema> branches = schema.getTypes();
        Integer absent = schema.getIndexNamed("null");
        if (branches.size() == 2 && absent != null) { // ["null", T] or [T, "null"]: optional
          int nullBranch = absent;
          int valueBranch = 1 - nullBranch;
          ValueWriter present = writerFor(branches.get(valueBranch));
          return (value, out) -> {
            if (value == null) {
              out.writeIndex(nullBranch);
              out.writeNull();
            } else {
              out.writeIndex(valueBranch);
              present.write(value, out);
            }
          };
        }
        break;
      default:
        break;
    }
    GenericDatumWriter<Object> generic = new GenericDatumWriter<>(schema, MODEL);
    return generic::write;
  }

  /** Decodes events written with one schema into another (its fields resolved by name). */
  public static final class Reader {
    private final GenericDatumReader<GenericRecord> datumReader;
    private BinaryDecoder decoder;

    public Reader(Schema writer, Schema reader) {
      this.datumReader = new GenericDatumReader<>(writer, reader, MODEL);
    }

    public UserEvent decode(byte[] bytes, int offset, int length) throws InvalidEventException {
      decoder = DecoderFactory.get().binaryDecoder(bytes, offset, length, decoder);
      GenericRecord record;
      try {
        record = datumReader.read(null, decoder);
      } catch (IOException | RuntimeException e) {
        throw new InvalidEventException("Avro bytes do not decode: " + why(e), e);
      }
      return fromRecord(record);
    }
  }

  private static Instant millis(Instant timestamp) throws InvalidEventException {
    if (timestamp.getNano() % 1_000_000 != 0) {
      throw new InvalidEventException(
          "timestamp "
              + timestamp
              + " is finer than a millisecond, which the schema's timestamp-millis cannot hold");
    }
    return timestamp;
  }

  /** A property's value as the field's type holds it, or why it does not fit. */
  private static Object value(String name, Object value, Schema target)
      throws InvalidEventException {
    try {
      return switch (target.getType()) {
        case STRING -> value instanceof String text ? text : refuse(name, value, "a string");
        case BOOLEAN -> value instanceof Boolean flag ? flag : refuse(name, value, "true or false");
        case INT -> value instanceof Integer small ? small : integral(name, value).intValueExact();
        case LONG ->
            value instanceof Integer || value instanceof Long
                ? ((Number) value).longValue()
                : integral(name, value).longValueExact();
        case DOUBLE ->
            value instanceof Number n ? n.doubleValue() : refuse(name, value, "a number");
        case BYTES -> decimal(name, value, target);
        default -> refuse(name, value, "of type " + target.getType());
      };
    } catch (ArithmeticException e) {
      return refuse(name, value, "an integer in the range of " + target.getType());
    }
  }

  private static Schema nonNull(Schema type) {
    if (type.getType() != Schema.Type.UNION) {
      return type;
    }
    return type.getTypes().stream()
        .filter(branch -> branch.getType() != Schema.Type.NULL)
        .findFirst()
        .orElse(type);
  }

  private static BigInteger integral(String name, Object value) throws InvalidEventException {
    if (value instanceof Integer || value instanceof Long || value instanceof Short) {
      return BigInteger.valueOf(((Number) value).longValue());
    }
    if (value instanceof BigInteger big) {
      return big;
    }
    return refuse(name, value, "an integer");
  }

  private static BigDecimal decimal(String name, Object value, Schema target)
      throws InvalidEventException {
    if (!(target.getLogicalType() instanceof LogicalTypes.Decimal decimal)) {
      return refuse(name, value, "bytes");
    }
    BigDecimal number;
    if (value instanceof BigDecimal exact) {
      number = exact;
    } else if (value instanceof BigInteger || value instanceof Integer || value instanceof Long) {
      number = new BigDecimal(integral(name, value));
    } else {
      return refuse(name, value, "a decimal number");
    }
    try {
      BigDecimal scaled = number.setScale(decimal.getScale());
      if (scaled.precision() > decimal.getPrecision()) {
        return refuse(name, value, "a decimal of at most " + decimal.getPrecision() + " digits");
      }
      return scaled;
    } catch (ArithmeticException e) {
      return refuse(
          name, value, "a decimal with at most " + decimal.getScale() + " decimal places");
    }
  }

  private static <T> T refuse(String name, Object value, String expected)
      throws InvalidEventException {
    throw new InvalidEventException(
        "property " + name + " must be " + expected + " for the schema, not " + value);
  }

  static UserEvent fromRecord(GenericRecord record) throws InvalidEventException {
    EventType type = EventType.parse(String.valueOf(record.get("eventType")));
    Map<String, Object> properties = new LinkedHashMap<>();
    if (record.get("properties") instanceof GenericRecord fields) {
      for (Schema.Field field : fields.getSchema().getFields()) {
        Object value = fields.get(field.pos());
        if (value != null) {
          properties.put(field.name(), javaValue(value));
        }
      }
    }
    Object id = record.get("eventId");
    Object timestamp = record.get("timestamp");
    try {
      return new UserEvent(
          id instanceof UUID uuid ? uuid : UUID.fromString(String.valueOf(id)),
          String.valueOf(record.get("userId")),
          type,
          timestamp instanceof Instant at ? at : Instant.ofEpochMilli((Long) timestamp),
          properties);
    } catch (IllegalArgumentException | ClassCastException | NullPointerException e) {
      throw new InvalidEventException("not a user event: " + e.getMessage(), e);
    }
  }

  /** As the JSON reader gives them: text as String, integers as Integer when they fit. */
  private static Object javaValue(Object value) {
    if (value instanceof CharSequence text) {
      return text.toString();
    }
    if (value instanceof Long number && number == number.intValue()) {
      return number.intValue();
    }
    return value;
  }

  /**
   * What a decoding failure says, never "null": Avro's reader fails on truncated or foreign bytes
   * with exceptions that carry no message (EOFException, ArrayIndexOutOfBoundsException).
   */
  static String why(Throwable error) {
    String message = error.getMessage();
    if (error instanceof java.io.EOFException) {
      return "the bytes end before the record does (truncated, or written with another schema)";
    }
    if (message == null || message.isBlank() || error instanceof IndexOutOfBoundsException) {
      return error.getClass().getSimpleName()
          + " (the bytes do not fit the writer's schema: written with another schema, or not"
          + " Avro)";
    }
    return message;
  }
}
