package dev.kafkademo.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.common.Node;

/**
 * Asks the cluster who it is before a command starts its real work, so that a wrong address or a
 * stopped stack ends in one clear message within a bounded time instead of endless client retries.
 */
public final class BrokerConnection {
  private BrokerConnection() {}

  /** What the bootstrap broker told us. */
  public record ClusterInfo(String clusterId, Collection<Node> nodes, Set<String> topics) {}

  /**
   * @param clientProperties the command's client settings (address, security); only the ones an
   *     admin client knows are used
   * @throws BrokerUnreachableException when no broker answers within {@code timeout}
   */
  public static ClusterInfo check(Properties clientProperties, Duration timeout) {
    String bootstrap = clientProperties.getProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
    Properties props = adminProperties(clientProperties, timeout);
    long deadline = System.nanoTime() + timeout.toNanos();
    try (Admin admin = Admin.create(props)) {
      DescribeClusterResult cluster = admin.describeCluster();
      Collection<Node> nodes =
          cluster.nodes().get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
      String clusterId = cluster.clusterId().get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
      Set<String> topics =
          admin
              .listTopics(new ListTopicsOptions().listInternal(false))
              .names()
              .get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
      return new ClusterInfo(clusterId, nodes, topics);
    } catch (TimeoutException e) {
      throw new BrokerUnreachableException(bootstrap, timeout, e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
        throw new BrokerUnreachableException(bootstrap, timeout, e.getCause());
      }
      throw asRuntime(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new org.apache.kafka.common.errors.InterruptException(e);
    }
  }

  private static Properties adminProperties(Properties clientProperties, Duration timeout) {
    Properties props = new Properties();
    for (String name : AdminClientConfig.configNames()) {
      String value = clientProperties.getProperty(name);
      if (value != null) {
        props.put(name, value);
      }
    }
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, "kafka-demo-connection-check");
    int millis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(millis));
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(millis));
    return props;
  }

  private static long remainingMillis(long deadlineNanos) {
    return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
  }

  private static RuntimeException asRuntime(Throwable cause) {
    return cause instanceof RuntimeException runtime
        ? runtime
        : new org.apache.kafka.common.KafkaException(cause);
  }
}
