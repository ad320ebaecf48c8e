package dev.kafkademo.connect;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.ConfigData;
import org.apache.kafka.common.config.provider.ConfigProvider;

/**
 * Where the database is, for the connector files in {@code connect/}: {@code ${demo:postgres.host}}
 * and the like, from the worker's environment ({@code KAFKA_DEMO_POSTGRES_HOST}, ...) with defaults
 * for PostgreSQL on this machine. So the same files work for {@code connect} on a laptop and in the
 * Compose stack, where the database is {@code postgres}.
 *
 * <p>Kafka's own {@code EnvVarConfigProvider} has no defaults: an unset variable would leave the
 * literal {@code ${env:...}} in the connector's settings.
 */
public final class DemoSettings implements ConfigProvider {
  /** The provider's name in the worker's {@code config.providers}. */
  public static final String NAME = "demo";

  /** Each key: the environment variable that sets it, and its default. */
  static final Map<String, String[]> KEYS = new LinkedHashMap<>();

  static {
    KEYS.put("postgres.host", new String[] {"KAFKA_DEMO_POSTGRES_HOST", "localhost"});
    KEYS.put("postgres.port", new String[] {"KAFKA_DEMO_POSTGRES_PORT", "5432"});
    KEYS.put("postgres.database", new String[] {"KAFKA_DEMO_POSTGRES_DB", "kafka_demo"});
    KEYS.put("postgres.user", new String[] {"KAFKA_DEMO_POSTGRES_USER", "kafka_demo"});
    KEYS.put("postgres.password", new String[] {"KAFKA_DEMO_POSTGRES_PASSWORD", "kafka_demo"});
  }

  @Override
  public ConfigData get(String path) {
    return get(path, KEYS.keySet());
  }

  @Override
  public ConfigData get(String path, Set<String> keys) {
    Map<String, String> values = new HashMap<>();
    for (String key : keys) {
      String[] source = KEYS.get(key);
      if (source != null) {
        String fromEnvironment = System.getenv(source[0]);
        values.put(
            key,
            fromEnvironment == null || fromEnvironment.isBlank() ? source[1] : fromEnvironment);
      }
    }
    return new ConfigData(values);
  }

  @Override
  public void configure(Map<String, ?> configs) {}

  @Override
  public void close() {}
}
