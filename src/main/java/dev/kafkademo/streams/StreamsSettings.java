package dev.kafkademo.streams;

import java.time.Duration;

/**
 * What the topology is built from: the input topic (its outputs are named after it) and its number
 * of partitions (a window is closed when every partition has closed it), the window and its grace
 * period, and the sessions' inactivity gap.
 */
public record StreamsSettings(
    String inputTopic, int inputPartitions, Duration window, Duration grace, Duration sessionGap) {
  /**
   * How long the stores keep closed windows and sessions: a day, for queries over the recent past,
   * and so that a jump in stream time never drops a window or session before it is emitted.
   */
  public Duration retention() {
    Duration needed = window.plus(grace).plus(sessionGap);
    return needed.compareTo(Duration.ofDays(1)) > 0 ? needed : Duration.ofDays(1);
  }

  public String countsTopic() {
    return inputTopic + ".counts-per-type";
  }

  public String revenueTopic() {
    return inputTopic + ".revenue";
  }

  public String sessionsTopic() {
    return inputTopic + ".sessions";
  }
}
