package dev.kafkademo.kafka.admin;

import dev.kafkademo.kafka.BrokerUnreachableException;
import dev.kafkademo.kafka.Durations;
import java.time.Duration;
import java.util.Collection;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
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

  /** An admin client that reached the cluster, and the brokers the cluster named. */
  record Connected(Admin admin, Collection<Node> nodes) {}

  /**
   * Creates an admin client and asks the cluster for its brokers, so that a wrong address or a
   * stopped broker ends in one clear message within {@code timeout}.
   *
   * @throws BrokerUnreachableException when no broker answers in time
   */
  static Connected connect(Properties clientProperties, Duration timeout) {
    String bootstrap = clientProperties.getProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
    Admin admin = Admin.create(adminProperties(clientProperties, timeout));
    try {
      return new Connected(admin, await(admin.describeCluster().nodes(), timeout));
    } catch (TimeoutException e) {
      admin.close(Duration.ZERO);
      throw new BrokerUnreachableException(bootstrap, timeout, e);
    } catch (RuntimeException e) {
      admin.close(Duration.ZERO);
      throw e;
    }
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
