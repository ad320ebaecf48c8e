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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
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
  private transient Function<UserEvent, Object>[] columns;

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
            : EventDecoder.jsonOr(
                new RegistryEventDecoder(
                    new RegistryClient(
                        settings.registryUrl(), settings.registryUserInfo(), settings.timeout()),
                    null));
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
    } catch (RegistryException e) {
      // The registry being away is no reason to drop a record: the query stops instead.
      throw new UnreadableRecordException(
          RecordPositions.record(value) + " could not be read: " + e.getMessage());
    } catch (InvalidEventException e) {
      if (settings.skip()) {
        SkippedRecords.add(e.getMessage());
        return null;
      }
      throw new UnreadableRecordException(
          RecordPositions.record(value)
              + " is not a user event: "
              + e.getMessage()
              + "; --on-error skip leaves such records out");
    }
    return row(event);
  }

  private RowData row(UserEvent event) {
    if (columns == null) {
      columns = columns(rowType);
    }
    GenericRowData row = new GenericRowData(columns.length);
    for (int i = 0; i < columns.length; i++) {
      row.setField(i, columns[i].apply(event));
    }
    return row;
  }

  /** Per column of the (projected) table, its value from an event, converted once per schema. */
  @SuppressWarnings("unchecked")
  private static Function<UserEvent, Object>[] columns(RowType type) {
    List<RowType.RowField> fields = type.getFields();
    Function<UserEvent, Object>[] columns = new Function[fields.size()];
    for (int i = 0; i < fields.size(); i++) {
      Function<Object, Object> convert = converter(fields.get(i).getType());
      Function<UserEvent, Object> value =
          switch (fields.get(i).getName()) {
            case "eventId" -> event -> event.eventId().toString();
            case "userId" -> UserEvent::userId;
            case "eventType" -> event -> event.eventType().jsonName();
            case "timestamp" -> UserEvent::timestamp;
            case "properties" -> UserEvent::properties;
            default -> event -> null;
          };
      columns[i] = event -> convert.apply(value.apply(event));
    }
    return columns;
  }

  /**
   * How a decoded value becomes Flink's internal data of a column's type (null where it does not
   * fit), worked out once per column, not per record.
   */
  private static Function<Object, Object> converter(LogicalType type) {
    Function<Object, Object> convert =
        switch (type.getTypeRoot()) {
          case CHAR, VARCHAR -> value -> StringData.fromString(value.toString());
          case BIGINT -> value -> value instanceof Number n ? n.longValue() : null;
          case INTEGER -> value -> value instanceof Number n ? n.intValue() : null;
          case DOUBLE -> value -> value instanceof Number n ? n.doubleValue() : null;
          case BOOLEAN -> value -> value instanceof Boolean b ? b : null;
          case DECIMAL -> {
            DecimalType decimal = (DecimalType) type;
            yield value ->
                value instanceof Number n
                    ? DecimalData.fromBigDecimal(
                        n instanceof BigDecimal exact ? exact : new BigDecimal(n.toString()),
                        decimal.getPrecision(),
                        decimal.getScale())
                    : null;
          }
          case TIMESTAMP_WITH_LOCAL_TIME_ZONE, TIMESTAMP_WITHOUT_TIME_ZONE ->
              value -> value instanceof Instant instant ? TimestampData.fromInstant(instant) : null;
          case ROW -> {
            RowType nested = (RowType) type;
            String[] names = nested.getFieldNames().toArray(String[]::new);
            List<Function<Object, Object>> fields = new ArrayList<>();
            nested.getChildren().forEach(child -> fields.add(converter(child)));
            yield value -> {
              if (!(value instanceof Map<?, ?> map)) {
                return null;
              }
              GenericRowData row = new GenericRowData(names.length);
              for (int i = 0; i < names.length; i++) {
                row.setField(i, fields.get(i).apply(map.get(names[i])));
              }
              return row;
            };
          }
          default -> value -> null;
        };
    return value -> value == null ? null : convert.apply(value);
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
