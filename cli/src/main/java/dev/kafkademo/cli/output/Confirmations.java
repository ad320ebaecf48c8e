package dev.kafkademo.cli.output;

import dev.kafkademo.cli.Printable;
import dev.kafkademo.events.OutgoingEvent;
import dev.kafkademo.kafka.produce.EventPublisher;
import java.io.PrintWriter;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * One line on stdout per delivered event: where it landed and what it was. Kafka calls {@link
 * #delivered} on the producer's network thread, which must never wait for stdout's reader (a pager,
 * a slow pipe): it only queues the line. The lines are written by the command's threads: a few
 * times a second by a timer, and by the sending thread itself when more than {@link #BACKLOG} are
 * waiting, so that a slow reader slows the sending instead of the queue growing. Once stdout's
 * reader is gone, {@link #outputClosed()} tells the command to stop sending.
 */
public final class Confirmations implements EventPublisher.DeliveryListener {
  /** Lines waiting beyond which the sending thread writes them itself before the next send. */
  public static final int BACKLOG = 10_000;

  private final PrintWriter out;
  private final boolean acknowledged;
  private final Queue<String> pending = new ConcurrentLinkedQueue<>();
  private final AtomicInteger waiting = new AtomicInteger();
  private volatile boolean outputClosed;

  /**
   * @param acknowledged false with acks=0: the broker confirms nothing, so the line says "sent" and
   *     has no offset
   */
  public Confirmations(PrintWriter out, boolean acknowledged) {
    this.out = out;
    this.acknowledged = acknowledged;
  }

  /** True once stdout's reader is gone (a write or a flush failed). */
  public boolean outputClosed() {
    return outputClosed || Stdout.closed(out);
  }

  @Override
  public void delivered(OutgoingEvent event, RecordMetadata metadata, long latencyMicros) {
    if (outputClosed) {
      return;
    }
    String what =
        " key="
            + Printable.escape(event.userId())
            + (event.eventType() == null ? "" : " type=" + event.eventType().jsonName());
    pending.add(
        acknowledged
            ? "delivered "
                + metadata.topic()
                + "-"
                + metadata.partition()
                + "@"
                + metadata.offset()
                + what
                + " ("
                + Report.millis(latencyMicros)
                + ")"
            : "sent "
                + metadata.topic()
                + "-"
                + metadata.partition()
                + what
                + " (acks=0: not confirmed)");
    waiting.incrementAndGet();
  }

  /** Before each send: writes the waiting lines when they pile up (the reader is slow). */
  public void keepUp() {
    if (waiting.get() > BACKLOG) {
      writeWaiting();
    }
  }

  /** Writes the waiting lines, in the order of their delivery, and flushes them. */
  public synchronized void writeWaiting() {
    String line;
    while (!outputClosed && (line = pending.poll()) != null) {
      waiting.decrementAndGet();
      out.println(line);
    }
    out.flush();
    outputClosed = outputClosed || Stdout.closed(out);
    if (outputClosed) {
      pending.clear();
    }
  }
}
