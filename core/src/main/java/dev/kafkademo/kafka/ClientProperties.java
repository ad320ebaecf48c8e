package dev.kafkademo.kafka;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * Client configuration, merged in the order a Kafka tool user expects, later layers winning: our
 * safe defaults, then the {@code --command-config} file, then dedicated flags (such as {@code
 * --acks}), then {@code -X key=value}.
 */
public final class ClientProperties {
  private ClientProperties() {}

  public static Properties merge(
      Map<String, String> defaults,
      Properties fromFile,
      Map<String, String> flags,
      Map<String, String> overrides) {
    Properties merged = new Properties();
    merged.putAll(defaults);
    merged.putAll(fromFile);
    merged.putAll(flags);
    merged.putAll(overrides);
    return merged;
  }

  /** Reads a Java properties file like the Kafka tools' {@code --command-config}. */
  public static Properties load(Path file) throws IOException {
    Properties props = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      props.load(reader);
    }
    return props;
  }
}
