package dev.kafkademo.cli.output;

import dev.kafkademo.events.EventLines;
import dev.kafkademo.kafka.ClientMetrics;
import dev.kafkademo.kafka.produce.EventPublisher;
import dev.kafkademo.kafka.produce.PublishResult;
import java.io.PrintWriter;
import java.util.Locale;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.NotEnoughReplicasAfterAppendException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;

/** What the producer says on stderr while it runs and when it ends. */
public final class ProducerReport {
  private final PrintWriter err;
  private final String topic;

  /** What is sent, as the summary names it: events, or records (--raw). */
  private final String unit;

  public ProducerReport(PrintWriter err, String topic, String unit) {
    this.err = err;
    this.topic = topic;
    this.unit = unit;
  }

  /** Once a second: counts so far and the acknowledgement rate of the last second. */
  public Runnable progress(EventPublisher publisher) {
    return new Runnable() {
      private long lastAcknowledged;
      private long lastNanos = System.nanoTime();

      @Override
      public void run() {
        long now = System.nanoTime();
        long acknowledged = publisher.acknowledgedSoFar();
        double rate = (acknowledged - lastAcknowledged) / ((now - lastNanos) / 1e9);
        lastAcknowledged = acknowledged;
        lastNanos = now;
        err.printf(
            Locale.ROOT,
            "... sent %,d, acknowledged %,d, failed %,d (%s)%n",
            publisher.sentSoFar(),
            acknowledged,
            publisher.failedSoFar(),
            Report.rate(rate));
      }
    };
  }

  /** --stats: the client's own send and byte rates, and our latency percentiles since last time. */
  public Runnable stats(Producer<?, ?> producer, EventPublisher publisher) {
    return () -> {
      var metrics = producer.metrics();
      Histogram latency = publisher.latencySinceLastCall();
      err.printf(
          Locale.ROOT,
          "stats: %s, %.2f MB/s, ack latency p50 %s, p99 %s, max %s%n",
          Report.rate(ClientMetrics.value(metrics, "producer-metrics", "record-send-rate")),
          ClientMetrics.value(metrics, "producer-metrics", "outgoing-byte-rate") / 1e6,
          Report.millis(latency.getValueAtPercentile(50)),
          Report.millis(latency.getMaxValue() == 0 ? 0 : latency.getValueAtPercentile(99)),
          Report.millis(latency.getMaxValue()));
    };
  }

  /**
   * The summary: exact counts, why it stopped, latencies, failures with what to check, rejected
   * input lines.
   *
   * @param acknowledging false with acks=0, where the broker acknowledges nothing
   */
  public void summary(
      PublishResult result, boolean acknowledging, boolean outputClosed, EventLines fromInput) {
    String how =
        outputClosed
            ? "Stopped early, stdout was closed: sent"
            : switch (result.stop()) {
              case COMPLETED -> "Sent";
              case REQUESTED -> "Stopped early: sent";
              case FAILURE -> "Stopped at the first failure: sent";
            };
    if (acknowledging) {
      err.printf(
          Locale.ROOT,
          "%s %,d %s to %s: %,d acknowledged, %,d failed, in %s (%s, %.1f MB/s)%n",
          how,
          result.sent(),
          unit,
          topic,
          result.acknowledged(),
          result.failed(),
          Report.seconds(result.elapsed()),
          Report.rate(result.eventsPerSecond(), unit),
          result.megabytesPerSecond());
      Histogram latency = result.ackLatencyMicros();
      if (latency.getTotalCount() > 0) {
        err.printf(
            "Acknowledgement latency: p50 %s, p99 %s, max %s%n",
            Report.millis(latency.getValueAtPercentile(50)),
            Report.millis(latency.getValueAtPercentile(99)),
            Report.millis(latency.getMaxValue()));
      }
    } else {
      err.printf(
          Locale.ROOT,
          "%s %,d %s to %s with acks=0: %,d written to the network, %,d failed, in %s;"
              + " the broker acknowledges nothing with acks=0, so none is confirmed%n",
          how,
          result.sent(),
          unit,
          topic,
          result.acknowledged(),
          result.failed(),
          Report.seconds(result.elapsed()));
    }
    result
        .failures()
        .forEach(
            (failure, n) ->
                err.printf(Locale.ROOT, "failed: %,d x %s%s%n", n, failure, hint(failure.type())));
    if (fromInput != null && fromInput.raw()) {
      if (fromInput.emptyLines() > 0) {
        err.println("Skipped " + Report.count(fromInput.emptyLines(), "empty line"));
      }
      if (fromInput.unkeyedLines() > 0) {
        err.println(
            Report.count(fromInput.unkeyedLines(), "line")
                + " had no key delimiter: sent without a key");
      }
    }
    long rejectedLines = fromInput == null ? 0 : fromInput.rejectedCount();
    if (rejectedLines > 0) {
      err.printf(
          Locale.ROOT,
          "Rejected %,d input lines that are not valid events (see above); they were not sent%s%n",
          rejectedLines,
          fromInput.stoppedEarly() ? ", nor anything after the first (--on-error fail)" : "");
    }
    if (!result.allAcknowledged()) {
      boolean explained =
          result.failures().keySet().stream().anyMatch(f -> !hint(f.type()).isEmpty());
      err.printf(
          Locale.ROOT,
          "error: %,d of %,d %s were not acknowledged.%s%n",
          result.sent() - result.acknowledged(),
          result.sent(),
          unit,
          explained ? "" : " Check that the broker is up and the topic exists.");
    }
  }

  /** What to check for the failures users meet, chosen by the exception's class. */
  public static String hint(Class<? extends Exception> failure) {
    if (RecordTooLargeException.class.isAssignableFrom(failure)) {
      return " -> the event is larger than the topic's max.message.bytes or the producer's"
          + " max.request.size";
    }
    if (AuthorizationException.class.isAssignableFrom(failure)) {
      return " -> this user may not write to the topic: check its ACLs";
    }
    if (NotEnoughReplicasException.class.isAssignableFrom(failure)
        || NotEnoughReplicasAfterAppendException.class.isAssignableFrom(failure)) {
      return " -> fewer replicas in sync than min.insync.replicas: are brokers down?";
    }
    if (InvalidTopicException.class.isAssignableFrom(failure)) {
      return " -> the broker refuses writes to this topic: Kafka's internal topics"
          + " (__consumer_offsets, __transaction_state) cannot be written by clients";
    }
    if (TimeoutException.class.isAssignableFrom(failure)) {
      return " -> the broker did not acknowledge in time: is it up and reachable?";
    }
    return "";
  }
}
