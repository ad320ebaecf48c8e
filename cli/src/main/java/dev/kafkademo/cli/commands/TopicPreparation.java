package dev.kafkademo.cli.commands;

import dev.kafkademo.cli.CliException;
import dev.kafkademo.kafka.admin.Cluster;
import dev.kafkademo.kafka.admin.Topics;
import java.io.PrintWriter;

/** A topic a command writes to, made to exist before it writes, or one line that says why not. */
public final class TopicPreparation {
  private TopicPreparation() {}

  /**
   * @param otherwise what the user can do when the broker does not create topics, e.g. "or check
   *     --topic"
   */
  static void ensure(Cluster cluster, String topic, PrintWriter err, String otherwise) {
    Topics.Ensured ensured = cluster.topics().ensure(topic);
    if (ensured == Topics.Ensured.MISSING) {
      throw new CliException(
          "Topic "
              + topic
              + " does not exist and the broker does not create topics automatically:"
              + " create it first (kafka-demo topics create "
              + topic
              + ") "
              + otherwise);
    }
    if (ensured == Topics.Ensured.CREATED) {
      err.println(
          "Created topic "
              + topic
              + " with "
              + cluster.topics().find(topic).map(t -> t.partitions().size()).orElse(0)
              + " partitions (the broker's defaults)");
    }
  }
}
