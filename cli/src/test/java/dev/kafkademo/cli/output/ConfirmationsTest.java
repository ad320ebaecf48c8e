package dev.kafkademo.cli.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.kafkademo.events.EventType;
import dev.kafkademo.events.OutgoingEvent;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The confirmations as Kafka's network thread hands them over, with no broker. */
class ConfirmationsTest {
  private static final OutgoingEvent LOGIN =
      new OutgoingEvent("user-1", EventType.LOGIN, new byte[0]);

  private static RecordMetadata at(long offset) {
    return new RecordMetadata(new TopicPartition("user-events", 2), offset, 0, 0L, 6, 100);
  }

  /** A pager that is not read: Kafka's network thread must go on acknowledging. */
  @Test
  void aReaderThatDoesNotReadNeverHoldsUpTheNetworkThread() throws IOException {
    PipedInputStream nobodyReads = new PipedInputStream(1024);
    PrintWriter out =
        new PrintWriter(
            new OutputStreamWriter(new PipedOutputStream(nobodyReads), StandardCharsets.UTF_8));
    Confirmations confirmations = new Confirmations(out, true);

    assertTimeoutPreemptively(
        Duration.ofSeconds(10),
        () -> {
          for (long offset = 0; offset < 5_000; offset++) {
            confirmations.delivered(LOGIN, at(offset), 1_500);
          }
        });
  }

  @Test
  void theLinesAreWrittenByTheCommandInTheOrderOfTheirDelivery() {
    StringWriter text = new StringWriter();
    Confirmations confirmations = new Confirmations(new PrintWriter(text), true);
    for (long offset = 0; offset < 3; offset++) {
      confirmations.delivered(LOGIN, at(offset), 1_500);
    }
    assertEquals("", text.toString(), "nothing written on the network thread");

    confirmations.keepUp(); // few waiting: the sending thread does not stop for them
    assertEquals("", text.toString());
    confirmations.writeWaiting();

    assertEquals(
        List.of(
            "delivered user-events-2@0 key=user-1 type=login (1.5 ms)",
            "delivered user-events-2@1 key=user-1 type=login (1.5 ms)",
            "delivered user-events-2@2 key=user-1 type=login (1.5 ms)"),
        text.toString().lines().toList());
  }
}
