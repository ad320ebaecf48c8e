package dev.kafkademo.kafka;

import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/** Reads the Kafka clients' own metrics (the ones JMX shows) by group and name. */
public final class ClientMetrics {
  private ClientMetrics() {}

  /** The first metric of that group and name (NaN when there is none yet). */
  public static double value(Map<MetricName, ? extends Metric> metrics, String group, String name) {
    for (Map.Entry<MetricName, ? extends Metric> entry : metrics.entrySet()) {
      MetricName metric = entry.getKey();
      if (metric.group().equals(group)
          && metric.name().equals(name)
          && !metric.tags().containsKey("topic")) {
        Object value = entry.getValue().metricValue();
        return value instanceof Number number ? number.doubleValue() : Double.NaN;
      }
    }
    return Double.NaN;
  }

  /** A per-partition metric as "topic-partition" to value, sorted. */
  public static Map<String, Double> perPartition(
      Map<MetricName, ? extends Metric> metrics, String group, String name) {
    Map<String, Double> values = new TreeMap<>();
    metrics.forEach(
        (metric, value) -> {
          Map<String, String> tags = metric.tags();
          if (metric.group().equals(group)
              && metric.name().equals(name)
              && tags.containsKey("topic")
              && tags.containsKey("partition")
              && value.metricValue() instanceof Number number) {
            values.put(tags.get("topic") + "-" + tags.get("partition"), number.doubleValue());
          }
        });
    return values;
  }
}
