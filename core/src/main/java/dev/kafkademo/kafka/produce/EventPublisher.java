package dev.kafkademo.kafka.produce;

import dev.kafkademo.events.OutgoingEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The publish loop: sends each event with its user id as key, a callback per send, optional pacing,
 * and a flush at the end so that every event is acknowledged or counted as failed before it
 * returns.
 */
public final class EventPublisher {
  /** Told about each delivery; called on the producer's I/O thread, so it must be quick. */
  public interface DeliveryListener {
    void delivered(OutgoingEvent event, RecordMetadata metadata, long latencyMicros);

    default void failed(OutgoingEvent event, Exception error) {}
  }

  private final Producer<byte[], byte[]> producer;
  private final String topic;
  private final DeliveryListener listener;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong acknowledged = new AtomicLong();
  private final AtomicLong acknowledgedBytes = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final Map<PublishResult.Failure, Long> failures = new LinkedHashMap<>();
  // Written only by the producer's I/O thread (callbacks); read after flush(), which happens-after.
  private final Histogram ackLatencyMicros = new Histogram(TimeUnit.HOURS.toMicros(1), 3);
  // The same latencies again, for --stats: each read returns those since the previous read.
  private final Recorder intervalLatencyMicros = new Recorder(TimeUnit.HOURS.toMicros(1), 3);

  /** Added to every record (producer --header); empty for none. */
  private final Header[] headers;

  public EventPublisher(
      Producer<byte[], byte[]> producer, String topic, DeliveryListener listener) {
    this(producer, topic, listener, List.of());
  }

  public EventPublisher(
      Producer<byte[], byte[]> producer,
      String topic,
      DeliveryListener listener,
      List<Header> headers) {
    this.producer = producer;
    this.topic = topic;
    this.listener = listener;
    this.headers = headers.toArray(new Header[0]);
  }

  /**
   * Sends every event of {@code events}, at most {@code ratePerSecond} a second (0: no limit),
   * until the events run out, {@code stopRequested} says so, or an event fails, then waits for the
   * outstanding ones.
   *
   * <p>Why stop at the first failure: the producer only gives up on an event after retrying for
   * delivery.timeout.ms, so the broker is gone or refuses the topic; every further send would block
   * for max.block.ms and fail the same way.
   */
  public PublishResult publish(
      Iterator<OutgoingEvent> events, double ratePerSecond, BooleanSupplier stopRequested) {
    long start = System.nanoTime();
    long intervalNanos = ratePerSecond > 0 ? (long) (1e9 / ratePerSecond) : 0;
    PublishResult.Stop stop = PublishResult.Stop.COMPLETED;
    try {
      while (events.hasNext()) {
        if (stopRequested.getAsBoolean()) {
          stop = PublishResult.Stop.REQUESTED;
          break;
        }
        if (failed.get() > 0) {
          stop = PublishResult.Stop.FAILURE;
          break;
        }
        if (intervalNanos > 0) {
          pace(start + sent.get() * intervalNanos, stopRequested);
        }
        if (!send(events.next())) {
          stop = PublishResult.Stop.FAILURE;
          break;
        }
      }
    } finally {
      producer.flush();
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    synchronized (failures) {
      return new PublishResult(
          sent.get(),
          acknowledged.get(),
          acknowledgedBytes.get(),
          failed.get(),
          elapsed,
          ackLatencyMicros.copy(),
          Collections.unmodifiableMap(new LinkedHashMap<>(failures)),
          stop);
    }
  }

  public long sentSoFar() {
    return sent.get();
  }

  public long acknowledgedSoFar() {
    return acknowledged.get();
  }

  /** Acknowledgement latencies since the previous call (thread-safe). */
  public Histogram latencySinceLastCall() {
    return intervalLatencyMicros.getIntervalHistogram();
  }

  public long failedSoFar() {
    return failed.get();
  }

  /** Returns false when the producer cannot take more events. */
  private boolean send(OutgoingEvent event) {
    byte[] key = event.userId() == null ? null : event.userId().getBytes(StandardCharsets.UTF_8);
    sent.incrementAndGet();
    try {
      producer.send(
          new ProducerRecord<>(
              topic,
              null,
              key,
              event.value(),
              // Each record its own: the producer makes a record's headers read-only.
              headers.length == 0 ? null : new RecordHeaders(headers.clone())),
          new DeliveryCallback(event, System.nanoTime()));
      return true;
    } catch (RuntimeException e) {
      // API errors come through the callback; anything thrown here means the producer cannot go on.
      recordFailure(event, e);
      return false;
    }
  }

  private static void pace(long dueNanos, BooleanSupplier stopRequested) {
    long wait;
    while ((wait = dueNanos - System.nanoTime()) > 0 && !stopRequested.getAsBoolean()) {
      LockSupport.parkNanos(Math.min(wait, TimeUnit.MILLISECONDS.toNanos(100)));
    }
  }

  private void recordFailure(OutgoingEvent event, Exception error) {
    failed.incrementAndGet();
    synchronized (failures) {
      failures.merge(PublishResult.Failure.of(error), 1L, Long::sum);
    }
    listener.failed(event, error);
  }

  /** Counts the outcome of one send and tells the listener. */
  private final class DeliveryCallback implements Callback {
    private final OutgoingEvent event;
    private final long sentAtNanos;

    DeliveryCallback(OutgoingEvent event, long sentAtNanos) {
      this.event = event;
      this.sentAtNanos = sentAtNanos;
    }

    @Override
    public void onCompletion(RecordMetadata metadata, Exception error) {
      if (error != null) {
        recordFailure(event, error);
        return;
      }
      long latencyMicros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - sentAtNanos);
      ackLatencyMicros.recordValue(
          Math.min(latencyMicros, ackLatencyMicros.getHighestTrackableValue()));
      intervalLatencyMicros.recordValue(
          Math.min(latencyMicros, ackLatencyMicros.getHighestTrackableValue()));
      acknowledgedBytes.addAndGet(metadata.serializedKeySize() + metadata.serializedValueSize());
      acknowledged.incrementAndGet();
      listener.delivered(event, metadata, latencyMicros);
    }
  }
}
