package dev.kafkademo.sql;

import java.time.Duration;
import java.util.Set;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.Projection;
import org.apache.flink.table.connector.format.DecodingFormat;
import org.apache.flink.table.connector.format.ProjectableDecodingFormat;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.factories.DeserializationFormatFactory;
import org.apache.flink.table.factories.DynamicTableFactory;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.RowType;

/**
 * The format {@code 'format' = 'user-events'}: the topic's values read as the consumer reads them,
 * JSON and registry-framed Avro alike (told apart by their first byte, the writer's schema fetched
 * by id), through the project's own decoder. Flink's {@code avro-confluent} reads Avro only, with
 * Confluent's client (not on Maven Central), and its {@code json} cannot read Avro: a topic with
 * both would lose one of them.
 */
public final class UserEventsFormatFactory implements DeserializationFormatFactory {
  public static final String IDENTIFIER = "user-events";

  static final ConfigOption<String> REGISTRY_URL =
      ConfigOptions.key("schema-registry.url").stringType().noDefaultValue();

  /** USER:PASSWORD for the registry: a secret, masked wherever a result shows the table. */
  static final ConfigOption<String> REGISTRY_USER_INFO =
      ConfigOptions.key("schema-registry.user-info").stringType().noDefaultValue();

  static final ConfigOption<Duration> REGISTRY_TIMEOUT =
      ConfigOptions.key("schema-registry.timeout")
          .durationType()
          .defaultValue(Duration.ofSeconds(10));

  /** skip: a record that is not an event is left out and counted; fail: the query fails. */
  static final ConfigOption<Boolean> SKIP_INVALID =
      ConfigOptions.key("skip-invalid").booleanType().defaultValue(true);

  @Override
  public String factoryIdentifier() {
    return IDENTIFIER;
  }

  @Override
  public Set<ConfigOption<?>> requiredOptions() {
    return Set.of();
  }

  @Override
  public Set<ConfigOption<?>> optionalOptions() {
    return Set.of(REGISTRY_URL, REGISTRY_USER_INFO, REGISTRY_TIMEOUT, SKIP_INVALID);
  }

  @Override
  public DecodingFormat<DeserializationSchema<RowData>> createDecodingFormat(
      DynamicTableFactory.Context context, ReadableConfig options) {
    FactoryUtil.validateFactoryOptions(this, options);
    UserEventsDeserializer.Settings settings =
        new UserEventsDeserializer.Settings(
            options.getOptional(REGISTRY_URL).orElse(null),
            options.getOptional(REGISTRY_USER_INFO).orElse(null),
            options.get(REGISTRY_TIMEOUT),
            options.get(SKIP_INVALID));
    // Projectable: a query's columns only are built (each record is still decoded and checked
    // whole: whether it is a user event does not depend on the query).
    return new ProjectableDecodingFormat<>() {
      @Override
      public DeserializationSchema<RowData> createRuntimeDecoder(
          DynamicTableSource.Context source, DataType physicalType, int[][] projections) {
        DataType produced = Projection.of(projections).project(physicalType);
        return new UserEventsDeserializer(
            (RowType) produced.getLogicalType(), source.createTypeInformation(produced), settings);
      }

      @Override
      public ChangelogMode getChangelogMode() {
        return ChangelogMode.insertOnly();
      }
    };
  }
}
