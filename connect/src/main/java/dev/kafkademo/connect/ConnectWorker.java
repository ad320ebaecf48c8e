package dev.kafkademo.connect;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.connect.cli.ConnectDistributed;
import org.apache.kafka.connect.runtime.Connect;
import org.apache.kafka.connect.runtime.distributed.DistributedHerder;

/**
 * A Kafka Connect worker in distributed mode, Kafka's own runtime, in this process: its REST API on
 * 127.0.0.1, its configs, offsets and statuses in three compacted topics named after the group.
 * Workers with the same group form one Connect cluster and share the connectors' tasks. The
 * connectors come from the jar, found by service loading (no scan of a 200 MB class path).
 */
public final class ConnectWorker implements AutoCloseable {
  /** How the worker runs. */
  public record Settings(String groupId, String restHost, int restPort) {}

  /** Connect could not start: a port in use, a broker it cannot use. */
  public static final class StartFailed extends RuntimeException {
    StartFailed(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final Connect<DistributedHerder> connect;

  private ConnectWorker(Connect<DistributedHerder> connect) {
    this.connect = connect;
  }

  /** The worker's settings, on top of the command's client settings (address, security). */
  public static Map<String, String> config(Properties clientProperties, Settings settings) {
    Map<String, String> config = new LinkedHashMap<>();
    clientProperties
        .stringPropertyNames()
        .forEach(name -> config.put(name, clientProperties.getProperty(name)));
    config.put("group.id", settings.groupId());
    List<String> topics = internalTopics(settings.groupId());
    config.put("config.storage.topic", topics.get(0));
    config.put("offset.storage.topic", topics.get(1));
    config.put("status.storage.topic", topics.get(2));
    // The broker's default replication: 1 on the embedded broker, 3 on the three-broker cluster.
    config.put("config.storage.replication.factor", "-1");
    config.put("offset.storage.replication.factor", "-1");
    config.put("status.storage.replication.factor", "-1");
    // Keys are user ids as text; values JSON without Connect's schema envelope, as producers write.
    config.putIfAbsent("key.converter", "org.apache.kafka.connect.storage.StringConverter");
    config.putIfAbsent("value.converter", "org.apache.kafka.connect.json.JsonConverter");
    config.putIfAbsent("value.converter.schemas.enable", "false");
    config.put("listeners", "http://" + settings.restHost() + ":" + settings.restPort());
    config.putIfAbsent("rest.advertised.host.name", advertised(settings.restHost()));
    config.put("rest.advertised.port", String.valueOf(settings.restPort()));
    config.put("plugin.discovery", "service_load");
    // A worker that disappears (killed, not stopped) has its tasks moved to the others after
    // 15 s; Connect's default waits 5 minutes for it to come back.
    config.putIfAbsent("scheduled.rebalance.max.delay.ms", "15000");
    // Offsets committed every 5 s instead of 60: what a restarted worker re-reads is small.
    config.putIfAbsent("offset.flush.interval.ms", "5000");
    config.put("config.providers", DemoSettings.NAME);
    config.put("config.providers." + DemoSettings.NAME + ".class", DemoSettings.class.getName());
    config.remove("client.id");
    return config;
  }

  /** The worker group's own topics: its connectors' configs, their offsets, their states. */
  public static List<String> internalTopics(String groupId) {
    return List.of(groupId + "-configs", groupId + "-offsets", groupId + "-status");
  }

  private static String advertised(String host) {
    return host.equals("0.0.0.0") ? System.getenv().getOrDefault("HOSTNAME", "localhost") : host;
  }

  /**
   * Starts the worker and its REST API; the herder joins the group in the background.
   *
   * @throws StartFailed with Connect's reason
   */
  public static ConnectWorker start(Map<String, String> config) {
    // Connect ends the JVM when it cannot start; here that is an exception with its reason.
    try {
      return ConnectExit.reportedAsException(
          () -> new ConnectWorker(new ConnectDistributed().startConnect(config)),
          (code, message) ->
              new StartFailed(
                  message != null ? message : "Kafka Connect could not start (exit " + code + ")",
                  null));
    } catch (StartFailed e) {
      throw e;
    } catch (RuntimeException e) {
      throw new StartFailed(dev.kafkademo.kafka.Causes.innermost(e).getMessage(), e);
    }
  }

  /** Waits until the worker has stopped (by {@link #close()}, from a shutdown hook). */
  public void awaitStop() {
    connect.awaitStop();
  }

  /**
   * Stops the connectors' tasks (committing their offsets), leaves the group, stops the REST API.
   */
  @Override
  public void close() {
    connect.stop();
  }
}
