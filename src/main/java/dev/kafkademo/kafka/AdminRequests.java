package dev.kafkademo.kafka;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;

/** What every admin client of ours shares: its settings and how it waits for an answer. */
final class AdminRequests {
  private AdminRequests() {}

  /** The admin settings among the command's client settings, with every wait bounded by timeout. */
  static Properties adminProperties(Properties clientProperties, Duration timeout) {
    Properties props = new Properties();
    for (String name : AdminClientConfig.configNames()) {
      String value = clientProperties.getProperty(name);
      if (value != null) {
        props.put(name, value);
      }
    }
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, "kafka-demo-admin");
    String millis = String.valueOf(Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis())));
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis);
    return props;
  }

  /**
   * Waits for an admin result. Kafka's own failure comes out as itself, not wrapped; no answer in
   * time is Kafka's TimeoutException.
   */
  static <T> T await(KafkaFuture<T> future, Duration timeout) {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException runtime
          ? runtime
          : new KafkaException(e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw new TimeoutException(
          "No answer from the cluster within " + Durations.format(timeout), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptException(e);
    }
  }
}
