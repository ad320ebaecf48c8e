package dev.kafkademo.streams;

import java.util.Map;
import java.util.OptionalLong;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;

/**
 * How far the application's consumer is behind on an input partition, from its own metrics: an
 * input task may say it is idle only when its partition has nothing left to read. Unknown (empty)
 * until the consumer has fetched from the partition, and in tests without a real consumer.
 */
public final class InputLag {
  private volatile KafkaStreams streams;
  private final boolean alwaysCaughtUp;

  public InputLag() {
    this(false);
  }

  private InputLag(boolean alwaysCaughtUp) {
    this.alwaysCaughtUp = alwaysCaughtUp;
  }

  /** For tests of the processors alone: every partition has nothing left to read. */
  static InputLag caughtUp() {
    return new InputLag(true);
  }

  /** Where the metrics come from, once the application exists. */
  void of(KafkaStreams running) {
    this.streams = running;
  }

  /** The records the consumer has not read yet on that partition, if it knows. */
  OptionalLong of(String topic, int partition) {
    if (alwaysCaughtUp) {
      return OptionalLong.of(0);
    }
    KafkaStreams running = streams;
    if (running == null) {
      return OptionalLong.empty();
    }
    for (Map.Entry<MetricName, ? extends Metric> metric : running.metrics().entrySet()) {
      MetricName name = metric.getKey();
      if (name.name().equals("records-lag")
          && name.group().equals("consumer-fetch-manager-metrics")
          && topic.equals(name.tags().get("topic"))
          && String.valueOf(partition).equals(name.tags().get("partition"))) {
        Object value = metric.getValue().metricValue();
        if (value instanceof Number lag && !Double.isNaN(lag.doubleValue())) {
          return OptionalLong.of(Math.round(lag.doubleValue()));
        }
      }
    }
    return OptionalLong.empty();
  }
}
