package dev.kafkademo.cli;

import dev.kafkademo.kafka.BrokerConnection;
import dev.kafkademo.kafka.ClusterAdmin;
import java.util.Map;
import java.util.Properties;

/** Opens the admin client for the topic, group and doctor commands. */
final class Admin {
  private Admin() {}

  /** Checks the broker answers within --timeout first, for the same clear message as elsewhere. */
  static ClusterAdmin open(ConnectionOptions connection) {
    Properties props = connection.clientProperties(Map.of(), Map.of());
    try (BrokerConnection ignored = BrokerConnection.open(props, connection.timeout())) {
      // reachable
    }
    return new ClusterAdmin(props, connection.timeout());
  }
}
