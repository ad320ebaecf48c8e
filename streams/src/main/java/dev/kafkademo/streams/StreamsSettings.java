package dev.kafkademo.streams;

import java.time.Duration;

/**
 * What the topology is built from: the input topic (its outputs are named after it) and its number
 * of partitions (a window is closed when every partition has closed it), the window and its grace
 * period, and the sessions' inactivity gap; and how long an input partition with nothing left to
 * read waits without a record before it reports itself idle.
 */
public record StreamsSettings(
    String inputTopic,
    int inputPartitions,
    Duration window,
    Duration grace,
    Duration sessionGap,
    Duration idleAfter) {
  /**
   * A partition that has nothing left to read and no record for this long is idle, while events may
   * still come: long enough that a slow producer's next event is not taken for the last one.
   */
  public static final Duration IDLE_AFTER = Duration.ofSeconds(2);

  /**
   * Reading a topic to its end and stopping (--stop-when-caught-up): nothing more is coming, so a
   * partition with nothing left to read is idle as soon as its last fetched records are processed.
   */
  public static final Duration IDLE_AFTER_AT_THE_END = Duration.ofMillis(500);

  public StreamsSettings(
      String inputTopic,
      int inputPartitions,
      Duration window,
      Duration grace,
      Duration sessionGap) {
    this(inputTopic, inputPartitions, window, grace, sessionGap, IDLE_AFTER);
  }

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
