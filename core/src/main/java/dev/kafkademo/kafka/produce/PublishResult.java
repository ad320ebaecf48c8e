package dev.kafkademo.kafka.produce;

import java.time.Duration;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What a publish run did. Every event handed to the producer is either acknowledged or failed:
 * {@code sent == acknowledged + failed}.
 *
 * @param acknowledgedBytes key and value bytes of the acknowledged events
 * @param ackLatencyMicros from {@code send()} to the broker's acknowledgement, per acknowledged
 *     event
 * @param failures how many events failed for each reason, in the order first seen
 * @param stop why sending ended
 */
public record PublishResult(
    long sent,
    long acknowledged,
    long acknowledgedBytes,
    long failed,
    Duration elapsed,
    Histogram ackLatencyMicros,
    Map<Failure, Long> failures,
    Stop stop) {

  /**
   * Why events failed: the exception's class (for telling the user what to check) and its message.
   */
  public record Failure(Class<? extends Exception> type, String message) {
    public static Failure of(Exception error) {
      return new Failure(error.getClass(), error.getMessage());
    }

    @Override
    public String toString() {
      return type.getSimpleName() + ": " + message;
    }
  }

  /** Why a publish run ended. */
  public enum Stop {
    /** Every event was handed to the producer. */
    COMPLETED,
    /** A stop was requested (Ctrl-C) before every event was sent. */
    REQUESTED,
    /** An event failed, so the rest was not sent. */
    FAILURE
  }

  public boolean allAcknowledged() {
    return failed == 0 && acknowledged == sent;
  }

  public double eventsPerSecond() {
    return perSecond(acknowledged);
  }

  public double megabytesPerSecond() {
    return perSecond(acknowledgedBytes) / 1e6;
  }

  private double perSecond(long amount) {
    double seconds = elapsed.toNanos() / 1e9;
    return seconds > 0 ? amount / seconds : 0;
  }
}
