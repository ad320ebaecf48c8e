package dev.kafkademo.kafka;

import java.time.Duration;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What a publish run did. Every event handed to the producer is either acknowledged or failed:
 * {@code sent == acknowledged + failed}.
 *
 * @param ackLatencyMicros from {@code send()} to the broker's acknowledgement, per acknowledged
 *     event
 * @param failureReasons how many events failed for each reason, in the order first seen
 * @param interrupted true when a stop was requested (Ctrl-C) before every event was sent
 */
public record PublishResult(
    long sent,
    long acknowledged,
    long failed,
    Duration elapsed,
    Histogram ackLatencyMicros,
    Map<String, Long> failureReasons,
    boolean interrupted) {

  public boolean allAcknowledged() {
    return failed == 0 && acknowledged == sent;
  }

  public double eventsPerSecond() {
    double seconds = elapsed.toNanos() / 1e9;
    return seconds > 0 ? acknowledged / seconds : 0;
  }
}
