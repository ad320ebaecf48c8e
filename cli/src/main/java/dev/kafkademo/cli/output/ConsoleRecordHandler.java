package dev.kafkademo.cli.output;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.kafkademo.cli.Printable;
import dev.kafkademo.events.EventJson;
import dev.kafkademo.events.UserEvent;
import dev.kafkademo.kafka.ClientMetrics;
import dev.kafkademo.kafka.InvalidRecordPolicy;
import dev.kafkademo.kafka.consume.EventConsumerLoop;
import dev.kafkademo.kafka.consume.OutputClosedException;
import dev.kafkademo.kafka.consume.RecordHandler;
import dev.kafkademo.registry.WireFormat;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Shows processed events on stdout in the chosen format; everything else goes to stderr. Stops the
 * loop (OutputClosedException) as soon as stdout can no longer be written.
 */
public final class ConsoleRecordHandler implements RecordHandler {
  /** How each processed event is shown. */
  public enum Format {
    pretty,
    json,
    value,
    none
  }

  private final ConsoleRecordHandler.Format format;
  private final PrintWriter out;
  private final PrintWriter err;
  private final JsonGenerator json;
  private final long statsNanos;
  private long nextStatsNanos;
  // Event ages since the last --stats line.
  private final Histogram intervalAgeMillis = new Histogram(TimeUnit.DAYS.toMillis(365), 2);

  public ConsoleRecordHandler(
      ConsoleRecordHandler.Format format, PrintWriter out, PrintWriter err, Duration stats) {
    this.statsNanos = stats.toNanos();
    this.nextStatsNanos = System.nanoTime() + statsNanos;
    this.format = format;
    this.out = out;
    this.err = err;
    try {
      // The streaming factory alone: jackson-databind loads only if an event needs it.
      this.json =
          new JsonFactory()
              .createGenerator(out)
              .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
              .disable(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM);
      json.setRootValueSeparator(null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void processed(ConsumerRecord<byte[], byte[]> record, UserEvent event) {
    if (statsNanos > 0) {
      EventConsumerLoop.recordAge(intervalAgeMillis, record);
    }
    if (event == null) {
      raw(record);
    } else {
      switch (format) {
        case pretty -> out.println(pretty(record, event));
        case json -> writeJson(record, event);
        case value ->
            out.println(
                WireFormat.framed(record.value()) // Avro: shown as the JSON it stands for
                    ? new String(EventJson.toBytes(event), StandardCharsets.UTF_8)
                    : new String(record.value(), StandardCharsets.UTF_8));
        case none -> {}
      }
    }
    if (Stdout.closed(out)) {
      throw new OutputClosedException();
    }
  }

  @Override
  public void invalid(
      ConsumerRecord<byte[], byte[]> record, String reason, InvalidRecordPolicy action) {
    err.println(invalidLine(record, reason, action));
  }

  /** What became of a record that is not a valid event, as the consumer and streams say it. */
  public static String invalidLine(
      ConsumerRecord<?, ?> record, String reason, InvalidRecordPolicy action) {
    String what =
        switch (action) {
          case SKIP -> "skipped ";
          case DLQ -> "sent to the dead-letter topic: ";
          case FAIL -> "stopped at ";
        };
    return what + position(record) + ": " + reason;
  }

  @Override
  public void assigned(Collection<TopicPartition> partitions) {
    err.println("Assigned partitions: " + names(partitions));
  }

  @Override
  public void revoked(Collection<TopicPartition> partitions) {
    if (!partitions.isEmpty()) {
      err.println("Revoked partitions: " + names(partitions));
    }
  }

  /** --stats: the consumer's own metrics, read on the poll thread as the client requires. */
  @Override
  public void afterPoll(org.apache.kafka.clients.consumer.Consumer<?, ?> consumer) {
    if (statsNanos == 0 || System.nanoTime() < nextStatsNanos) {
      return;
    }
    nextStatsNanos = System.nanoTime() + statsNanos;
    var metrics = consumer.metrics();
    String lag =
        ClientMetrics.perPartition(metrics, "consumer-fetch-manager-metrics", "records-lag")
            .entrySet()
            .stream()
            .map(e -> e.getKey() + "=" + Math.round(e.getValue()))
            .collect(Collectors.joining(", "));
    String age =
        intervalAgeMillis.getTotalCount() == 0
            ? "none processed"
            : "p50 "
                + intervalAgeMillis.getValueAtPercentile(50)
                + " ms, p99 "
                + intervalAgeMillis.getValueAtPercentile(99)
                + " ms";
    intervalAgeMillis.reset();
    err.printf(
        java.util.Locale.ROOT,
        "stats: %s, event age %s, lag %s%n",
        Report.rate(
            ClientMetrics.value(
                metrics, "consumer-fetch-manager-metrics", "records-consumed-rate")),
        age,
        lag.isEmpty() ? "not known yet" : lag);
  }

  @Override
  public void beforeCommit() {
    try {
      json.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (out.checkError()) { // flushes, and says whether any write failed
      throw new OutputClosedException();
    }
  }

  /** A record as it is, read as text: any topic (change events, a dead-letter topic). */
  private void raw(ConsumerRecord<byte[], byte[]> record) {
    String value =
        record.value() == null ? null : new String(record.value(), StandardCharsets.UTF_8);
    switch (format) {
      case pretty ->
          out.println(
              position(record)
                  + " key="
                  + Printable.escape(key(record))
                  + " "
                  + (value == null ? "(no value: a tombstone)" : Printable.escape(value))
                  + prettyHeaders(record));
      case json -> {
        try {
          writeRecordFields(record);
          writeHeaders(record);
          json.writeFieldName("value");
          writeRawValue(value);
          json.writeEndObject();
          json.flush();
          out.println();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      case value -> out.println(value == null ? "" : value);
      case none -> {}
    }
  }

  /** Opens a record's JSON object with where it is: topic, partition, offset, key, timestamp. */
  private void writeRecordFields(ConsumerRecord<byte[], byte[]> record) throws IOException {
    json.writeStartObject();
    json.writeStringField("topic", record.topic());
    json.writeNumberField("partition", record.partition());
    json.writeNumberField("offset", record.offset());
    json.writeStringField("key", key(record));
    json.writeStringField("timestamp", Instant.ofEpochMilli(record.timestamp()).toString());
  }

  /** JSON values as JSON (a change event stays an object), anything else as a string. */
  private void writeRawValue(String value) throws IOException {
    if (value == null) {
      json.writeNull();
      return;
    }
    try {
      EventJson.mapper().writeTree(json, EventJson.mapper().readTree(value));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      json.writeString(value);
    }
  }

  private static String pretty(ConsumerRecord<byte[], byte[]> record, UserEvent event) {
    return position(record)
        + " key="
        + Printable.escape(key(record))
        + " "
        + event.eventType().jsonName()
        + " at "
        + event.timestamp()
        + " "
        + propertiesJson(event)
        + prettyHeaders(record);
  }

  /**
   * After the value, when there are any: {@code headers: source=web, trace-id=abc}; a value that is
   * not UTF-8 as {@code base64:...}.
   */
  private static String prettyHeaders(ConsumerRecord<byte[], byte[]> record) {
    HeaderValues headers = HeaderValues.of(record.headers());
    if (headers.isEmpty()) {
      return "";
    }
    return " headers: "
        + headers.values().entrySet().stream()
            .map(
                e ->
                    Printable.escape(e.getKey())
                        + "="
                        + (headers.base64().contains(e.getKey()) ? "base64:" : "")
                        + Printable.escape(e.getValue()))
            .collect(Collectors.joining(", "));
  }

  /**
   * {@code "headers": {"name": "value"}} when the record has any, and {@code "headersBase64":
   * ["name"]} naming those whose value is not UTF-8 and is therefore given in base64.
   */
  private void writeHeaders(ConsumerRecord<byte[], byte[]> record) throws IOException {
    HeaderValues headers = HeaderValues.of(record.headers());
    if (headers.isEmpty()) {
      return;
    }
    json.writeObjectFieldStart("headers");
    for (var header : headers.values().entrySet()) {
      json.writeStringField(header.getKey(), header.getValue());
    }
    json.writeEndObject();
    if (!headers.base64().isEmpty()) {
      json.writeArrayFieldStart("headersBase64");
      for (String name : headers.base64()) {
        json.writeString(name);
      }
      json.writeEndArray();
    }
  }

  private static String propertiesJson(UserEvent event) {
    try {
      return EventJson.mapper().writeValueAsString(event.properties());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void writeJson(ConsumerRecord<byte[], byte[]> record, UserEvent event) {
    try {
      writeRecordFields(record);
      writeHeaders(record);
      json.writeFieldName("event");
      EventJson.write(event, json);
      json.writeEndObject();
      json.flush();
      out.println();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String position(ConsumerRecord<?, ?> record) {
    return record.topic() + "-" + record.partition() + "@" + record.offset();
  }

  private static String key(ConsumerRecord<byte[], byte[]> record) {
    return record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
  }

  private static String names(Collection<TopicPartition> partitions) {
    return partitions.stream()
        .map(TopicPartition::toString)
        .sorted()
        .collect(Collectors.joining(", "));
  }
}
