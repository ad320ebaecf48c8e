package dev.kafkademo.cli.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.kafkademo.cli.Printable;
import dev.kafkademo.events.EventJson;
import dev.kafkademo.kafka.InvalidRecordPolicy;
import dev.kafkademo.streams.Results;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.KafkaStreams;

/**
 * What the streams command says: each result on stdout as it is emitted (one line, or one JSON
 * object per line), state changes and invalid records on stderr, and the summary at the end. Called
 * on the stream threads as well as the command's.
 */
public final class StreamsReport implements Results.Listener {
  /** What to say while it runs: how each result is shown. */
  public enum Format {
    pretty,
    json,
    none
  }

  private final StreamsReport.Format format;
  private final PrintWriter out;
  private final PrintWriter err;
  private final AtomicLong windows = new AtomicLong();
  private final AtomicLong revenueUpdates = new AtomicLong();
  private final AtomicLong sessions = new AtomicLong();
  private final AtomicLong skipped = new AtomicLong();
  private final AtomicLong deadLettered = new AtomicLong();
  private final AtomicLong lateForCounts = new AtomicLong();
  private final AtomicLong lateForSessions = new AtomicLong();
  private volatile boolean countsSettled;

  public StreamsReport(StreamsReport.Format format, PrintWriter out, PrintWriter err) {
    this.format = format;
    this.out = out;
    this.err = err;
  }

  @Override
  public void windowClosed(Results.WindowCount count) {
    windows.incrementAndGet();
    show(
        "counts-per-type",
        count,
        () ->
            String.format(
                Locale.ROOT,
                "window %s .. %s  %-11s %,d",
                count.windowStart(),
                count.windowEnd(),
                count.eventType(),
                count.count()));
  }

  @Override
  public void revenueChanged(Results.Revenue revenue) {
    revenueUpdates.incrementAndGet();
    show(
        "revenue",
        revenue,
        () ->
            String.format(
                Locale.ROOT,
                "revenue %s %s %s (%,d purchases)",
                Printable.escape(revenue.userId()),
                revenue.currency(),
                revenue.total().toPlainString(),
                revenue.purchases()));
  }

  @Override
  public void sessionClosed(Results.Session session) {
    sessions.incrementAndGet();
    show(
        "sessions",
        session,
        () ->
            String.format(
                Locale.ROOT,
                "session %s %s .. %s  %,d events: %,d page views, %,d added to cart, %,d purchases%s",
                Printable.escape(session.userId()),
                session.start(),
                session.end(),
                session.events(),
                session.pageViews(),
                session.addToCart(),
                session.purchases(),
                session.converted() ? ", converted" : ""));
  }

  @Override
  public void lateForCounts(long count) {
    lateForCounts.addAndGet(count);
  }

  @Override
  public void countsSettled(boolean settled) {
    countsSettled = settled;
  }

  /** Whether the counts hold no window back that the application's event time has closed. */
  public boolean countsSettled() {
    return countsSettled;
  }

  @Override
  public void lateForSessions(long count) {
    lateForSessions.addAndGet(count);
  }

  public void invalid(
      ConsumerRecord<byte[], byte[]> record, String reason, InvalidRecordPolicy action) {
    switch (action) {
      case SKIP -> skipped.incrementAndGet();
      case DLQ -> deadLettered.incrementAndGet();
      case FAIL -> {}
    }
    err.println(ConsoleRecordHandler.invalidLine(record, reason, action));
    err.flush();
  }

  public void stateChanged(KafkaStreams.State from, KafkaStreams.State to) {
    err.println("Streams " + from + " -> " + to);
    err.flush();
  }

  public void summary(long eventsRead, Duration elapsed) {
    out.flush();
    err.printf(
        Locale.ROOT,
        "Processed %,d events in %s: %,d windows closed, %,d revenue updates, %,d sessions closed;"
            + " dropped %,d late events from the counts and %,d from the sessions;"
            + " skipped %,d invalid records%s%n",
        eventsRead,
        Report.seconds(elapsed),
        windows.get(),
        revenueUpdates.get(),
        sessions.get(),
        lateForCounts.get(),
        lateForSessions.get(),
        skipped.get(),
        deadLettered.get() > 0
            ? String.format(Locale.ROOT, ", sent %,d to the dead-letter topic", deadLettered.get())
            : "");
    err.flush();
  }

  /** What stopped the application, in a line. */
  public static String reason(Throwable failure) {
    Throwable deepest = dev.kafkademo.kafka.Causes.innermost(failure);
    String message = deepest.getMessage() != null ? deepest.getMessage() : deepest.toString();
    String reason = deepest == failure ? message : failure.getMessage() + ": " + message;
    return reason.replaceAll("\\s*\\R\\s*", " "); // one line
  }

  private void show(String part, Object result, java.util.function.Supplier<String> pretty) {
    switch (format) {
      case pretty -> println(pretty.get());
      case json -> {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("part", part);
        line.putAll(EventJson.mapper().convertValue(result, Map.class));
        try {
          println(EventJson.mapper().writeValueAsString(line));
        } catch (JsonProcessingException e) {
          throw new UncheckedIOException(e);
        }
      }
      case none -> {}
    }
  }

  private void println(String line) {
    synchronized (out) {
      out.println(line);
      out.flush();
    }
  }
}
