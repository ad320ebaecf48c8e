package dev.kafkademo.cli;

import dev.kafkademo.kafka.admin.ClusterAdmin;
import java.util.Map;

/** Opens the admin client for the topic and group commands. */
final class Admin {
  private Admin() {}

  /** Checks the broker answers within --timeout, for the same clear message as elsewhere. */
  static ClusterAdmin open(ConnectionOptions connection) {
    return ClusterAdmin.connect(
        connection.clientProperties(Map.of(), Map.of()), connection.timeout());
  }
}
