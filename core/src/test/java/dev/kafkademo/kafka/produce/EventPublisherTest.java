package dev.kafkademo.kafka.produce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kafkademo.events.EventType;
import dev.kafkademo.events.OutgoingEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** The publish loop over Kafka's MockProducer, which acknowledges or fails sends on demand. */
class EventPublisherTest {
  private static OutgoingEvent event(int n) {
    return new OutgoingEvent(
        "user-" + n, EventType.PAGE_VIEW, ("{\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8));
  }

  /** Events 1..count; before handing out event n, runs what {@code before} says for n. */
  private static Iterator<OutgoingEvent> events(int count, java.util.function.IntConsumer before) {
    return new Iterator<>() {
      int next = 1;

      @Override
      public boolean hasNext() {
        return next <= count;
      }

      @Override
      public OutgoingEvent next() {
        before.accept(next);
        return event(next++);
      }
    };
  }

  private static MockProducer<byte[], byte[]> producer(boolean acknowledgeAtOnce) {
    return new MockProducer<>(
        acknowledgeAtOnce, null, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** Keeps what the publisher tells its listener. */
  private static final class Deliveries implements EventPublisher.DeliveryListener {
    final List<String> delivered = new ArrayList<>();
    final List<String> failed = new ArrayList<>();

    @Override
    public synchronized void delivered(
        OutgoingEvent event, RecordMetadata metadata, long latencyMicros) {
      delivered.add(event.userId());
    }

    @Override
    public synchronized void failed(OutgoingEvent event, Exception error) {
      failed.add(event.userId() + ": " + error.getMessage());
    }
  }

  @Test
  void everyEventIsSentKeyedByItsUserAndAcknowledged() {
    MockProducer<byte[], byte[]> producer = producer(true);
    Deliveries deliveries = new Deliveries();

    PublishResult result =
        new EventPublisher(producer, "user-events", deliveries)
            .publish(events(3, n -> {}), 0, () -> false);

    assertTrue(result.allAcknowledged(), result::toString);
    assertEquals(PublishResult.Stop.COMPLETED, result.stop());
    assertEquals(List.of("user-1", "user-2", "user-3"), deliveries.delivered);
    List<ProducerRecord<byte[], byte[]>> sent = producer.history();
    assertEquals("user-events", sent.get(0).topic());
    assertEquals("user-2", new String(sent.get(1).key(), StandardCharsets.UTF_8));
    assertEquals("{\"n\":3}", new String(sent.get(2).value(), StandardCharsets.UTF_8));
  }

  @Test
  void aFailedDeliveryStopsTheRunAndEveryEventIsAcknowledgedOrCountedAsFailed() {
    MockProducer<byte[], byte[]> producer = producer(false);
    Deliveries deliveries = new Deliveries();
    TimeoutException expired =
        new TimeoutException("Expiring 1 record(s) for user-events-0: 120000 ms has passed");

    PublishResult result =
        new EventPublisher(producer, "user-events", deliveries)
            .publish(
                events(
                    10,
                    n -> {
                      if (n == 3) { // the broker acknowledged event 1 and gave up on event 2
                        producer.completeNext();
                        producer.errorNext(expired);
                      }
                    }),
                0,
                () -> false);

    assertEquals(PublishResult.Stop.FAILURE, result.stop());
    assertEquals(3, result.sent(), "nothing sent after the failure was known");
    assertEquals(2, result.acknowledged(), "event 3 still acknowledged by the final flush");
    assertEquals(1, result.failed());
    assertEquals(result.sent(), result.acknowledged() + result.failed(), "nothing lost");
    assertEquals(Map.of(PublishResult.Failure.of(expired), 1L), result.failures());
    assertEquals(List.of("user-2: " + expired.getMessage()), deliveries.failed);
    assertFalse(result.allAcknowledged());
  }

  @Test
  void aSendTheProducerRefusesIsCountedAsFailedAndStopsTheRun() {
    MockProducer<byte[], byte[]> producer = producer(true);
    producer.sendException =
        new TimeoutException("Topic user-events not present in metadata after 60000 ms.");

    PublishResult result =
        new EventPublisher(producer, "user-events", new Deliveries())
            .publish(events(5, n -> {}), 0, () -> false);

    assertEquals(PublishResult.Stop.FAILURE, result.stop());
    assertEquals(1, result.sent());
    assertEquals(1, result.failed());
    assertEquals(0, result.acknowledged());
  }

  @Test
  void aStopRequestEndsTheRunAfterTheEventsInFlightAreAcknowledged() {
    MockProducer<byte[], byte[]> producer = producer(false);
    AtomicInteger asked = new AtomicInteger();

    PublishResult result =
        new EventPublisher(producer, "user-events", new Deliveries())
            .publish(events(100, n -> {}), 0, () -> asked.incrementAndGet() > 2);

    assertEquals(PublishResult.Stop.REQUESTED, result.stop());
    assertEquals(2, result.sent());
    assertTrue(result.allAcknowledged(), "flushed before the result: " + result);
  }
}
