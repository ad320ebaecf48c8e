package dev.kafkademo.support;

import dev.kafkademo.events.EventJson;
import dev.kafkademo.events.EventType;
import dev.kafkademo.events.UserEvent;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A small input whose results are known: windows, purchases in two currencies, sessions, an event
 * too late for its window and session, and a record that is not an event. The streams and sql tests
 * read the same one, so that their results can be compared.
 */
public final class KnownEvents {
  /** In the past: brokers refuse records more than an hour ahead. */
  public static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

  private KnownEvents() {}

  /**
   * Sends the known input to {@code topic} (through the producer, as a user would; the record that
   * is not an event as raw bytes) and returns what the producer said.
   */
  public static Cli.Result send(String bootstrap, String topic, Path dir) throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add(event("user-1", EventType.LOGIN, 0));
    lines.add(event("user-1", EventType.PAGE_VIEW, 20));
    lines.add(event("user-2", EventType.LOGIN, 30));
    lines.add(purchase("user-1", 50, "19.99", "EUR"));
    lines.add(purchase("user-2", 65, "5.00", "USD"));
    lines.add(purchase("user-1", 70, "0.01", "EUR"));
    lines.add("{not an event");
    lines.add(event("user-2", EventType.PAGE_VIEW, 40 * 60)); // a new session for user-2
    lines.add(event("user-3", EventType.LOGIN, 3 * 3600)); // closes everything before it
    lines.add(event("user-1", EventType.PAGE_VIEW, 30)); // too late for its window and session
    Path input =
        Files.writeString(
            dir.resolve("known-" + UUID.randomUUID() + ".jsonl"), String.join("\n", lines) + "\n");
    Cli.Result produced =
        Cli.run("producer", "-b", bootstrap, "-t", topic, "--input", input.toString(), "-q");
    RawRecords.sendText(bootstrap, topic, "user-9", "{not an event");
    return produced;
  }

  public static String event(String user, EventType type, long seconds, Object... properties) {
    Map<String, Object> props = new LinkedHashMap<>();
    for (int i = 0; i < properties.length; i += 2) {
      props.put((String) properties[i], properties[i + 1]);
    }
    return new String(
        EventJson.toBytes(
            new UserEvent(UUID.randomUUID(), user, type, T0.plusSeconds(seconds), props)),
        StandardCharsets.UTF_8);
  }

  public static String purchase(String user, long seconds, String amount, String currency) {
    return event(
        user,
        EventType.PURCHASE,
        seconds,
        "item",
        "sku-1",
        "amount",
        new BigDecimal(amount),
        "currency",
        currency);
  }
}
