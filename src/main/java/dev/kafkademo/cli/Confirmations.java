package dev.kafkademo.cli;

import dev.kafkademo.events.OutgoingEvent;
import dev.kafkademo.kafka.produce.EventPublisher;
import java.io.PrintWriter;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * One line on stdout per delivered event: where it landed and what it was. Called on the producer's
 * I/O thread, so it only writes into the buffer; the command flushes it a few times a second. Once
 * stdout's reader is gone, {@link #outputClosed()} tells the command to stop sending.
 */
final class Confirmations implements EventPublisher.DeliveryListener {
  private final PrintWriter out;
  private final boolean acknowledged;
  private volatile boolean outputClosed;

  /**
   * @param acknowledged false with acks=0: the broker confirms nothing, so the line says "sent" and
   *     has no offset
   */
  Confirmations(PrintWriter out, boolean acknowledged) {
    this.out = out;
    this.acknowledged = acknowledged;
  }

  /** True once stdout's reader is gone (a write or a flush failed). */
  boolean outputClosed() {
    return outputClosed || Stdout.closed(out);
  }

  @Override
  public void delivered(OutgoingEvent event, RecordMetadata metadata, long latencyMicros) {
    if (outputClosed) {
      return;
    }
    String what =
        " key=" + Printable.escape(event.userId()) + " type=" + event.eventType().jsonName();
    if (acknowledged) {
      out.println(
          "delivered "
              + metadata.topic()
              + "-"
              + metadata.partition()
              + "@"
              + metadata.offset()
              + what
              + " ("
              + Report.millis(latencyMicros)
              + ")");
    } else {
      out.println(
          "sent "
              + metadata.topic()
              + "-"
              + metadata.partition()
              + what
              + " (acks=0: not confirmed)");
    }
    outputClosed = Stdout.closed(out);
  }
}
