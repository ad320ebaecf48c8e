package dev.kafkademo.sql;

import dev.kafkademo.events.EventDecoder;
import dev.kafkademo.events.EventJson;
import dev.kafkademo.events.InvalidEventException;
import dev.kafkademo.events.UserEvent;
import dev.kafkademo.registry.RegistryClient;
import dev.kafkademo.registry.RegistryEventDecoder;
import dev.kafkademo.registry.RegistryException;
import dev.kafkademo.registry.WireFormat;
import java.io.IOException;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.logical.DecimalType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;

/**
 * One topic value to one row of user_events, by the table's column names: JSON or registry-framed
 * Avro, decoded as the consumer decodes them. A value that is not a user event is left out and
 * counted ({@link SkippedRecords}), or fails the query, naming the record's position.
 */
final class UserEventsDeserializer implements DeserializationSchema<RowData> {
  private static final long serialVersionUID = 1L;

  /** How the table reads: registry (null: none named) and what to do with a non-event. */
  record Settings(String registryUrl, String registryUserInfo, Duration timeout, boolean skip)
      implements Serializable {}

  private final RowType rowType;
  private final TypeInformation<RowData> producedType;
  private final Settings settings;
  private transient EventDecoder decoder;

  UserEventsDeserializer(
      RowType rowType, TypeInformation<RowData> producedType, Settings settings) {
    this.rowType = rowType;
    this.producedType = producedType;
    this.settings = settings;
  }

  @Override
  public void open(InitializationContext context) {
    decoder =
        settings.registryUrl() == null
            ? UserEventsDeserializer::withoutRegistry
            : new RegistryEventDecoder(
                new RegistryClient(
                    settings.registryUrl(), settings.registryUserInfo(), settings.timeout()),
                null);
  }

  private static UserEvent withoutRegistry(byte[] value) throws InvalidEventException {
    if (WireFormat.framed(value)) {
      throw new InvalidEventException(
          "Avro with schema id "
              + WireFormat.schemaId(value)
              + ", and no schema registry named (--schema-registry)");
    }
    return EventJson.parse(value);
  }

  @Override
  public RowData deserialize(byte[] value) throws IOException {
    UserEvent event;
    try {
      if (value == null) {
        throw new InvalidEventException("no value (a tombstone)");
      }
      event = decoder.decode(value);
    } catch (InvalidEventException e) {
      if (e.getCause() instanceof RegistryException registry
          && registry.kind() != RegistryException.Kind.NOT_FOUND) {
        // The registry being away is no reason to drop a record: the query stops instead.
        throw new UnreadableRecordException(
            "The schema registry "
                + settings.registryUrl()
                + " did not answer for "
                + RecordPositions.of(value)
                + ": "
                + registry.getMessage());
      }
      if (settings.skip()) {
        SkippedRecords.add(e.getMessage());
        return null;
      }
      throw new UnreadableRecordException(
          "Record "
              + RecordPositions.of(value)
              + " is not a user event: "
              + e.getMessage()
              + "; --on-error skip leaves such records out");
    }
    return row(event);
  }

  private RowData row(UserEvent event) {
    List<RowType.RowField> fields = rowType.getFields();
    GenericRowData row = new GenericRowData(fields.size());
    for (int i = 0; i < fields.size(); i++) {
      RowType.RowField field = fields.get(i);
      Object value =
          switch (field.getName()) {
            case "eventId" -> event.eventId().toString();
            case "userId" -> event.userId();
            case "eventType" -> event.eventType().jsonName();
            case "timestamp" -> event.timestamp();
            case "properties" -> event.properties();
            default -> null;
          };
      row.setField(i, convert(value, field.getType()));
    }
    return row;
  }

  /** A decoded value as Flink's internal data of the column's type; null where it does not fit. */
  private static Object convert(Object value, LogicalType type) {
    if (value == null) {
      return null;
    }
    return switch (type.getTypeRoot()) {
      case CHAR, VARCHAR -> StringData.fromString(value.toString());
      case BIGINT -> value instanceof Number n ? n.longValue() : null;
      case INTEGER -> value instanceof Number n ? n.intValue() : null;
      case DOUBLE -> value instanceof Number n ? n.doubleValue() : null;
      case BOOLEAN -> value instanceof Boolean b ? b : null;
      case DECIMAL -> {
        DecimalType decimal = (DecimalType) type;
        yield value instanceof Number n
            ? DecimalData.fromBigDecimal(
                new BigDecimal(n.toString()), decimal.getPrecision(), decimal.getScale())
            : null;
      }
      case TIMESTAMP_WITH_LOCAL_TIME_ZONE, TIMESTAMP_WITHOUT_TIME_ZONE ->
          value instanceof java.time.Instant instant ? TimestampData.fromInstant(instant) : null;
      case ROW -> {
        if (!(value instanceof Map<?, ?> map)) {
          yield null;
        }
        RowType nested = (RowType) type;
        GenericRowData row = new GenericRowData(nested.getFieldCount());
        for (int i = 0; i < nested.getFieldCount(); i++) {
          row.setField(i, convert(map.get(nested.getFieldNames().get(i)), nested.getTypeAt(i)));
        }
        yield row;
      }
      default -> null;
    };
  }

  @Override
  public boolean isEndOfStream(RowData next) {
    return false;
  }

  @Override
  public TypeInformation<RowData> getProducedType() {
    return producedType;
  }
}
