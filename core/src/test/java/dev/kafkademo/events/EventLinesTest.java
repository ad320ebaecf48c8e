package dev.kafkademo.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The producer's input reader over bytes in memory, as a file or stdin would hand them over. */
class EventLinesTest {
  private static final String EVENT =
      "{\"eventId\":\"0b8d2f9e-3c1a-4c5e-9a6b-2f1d3e4c5b6a\",\"userId\":\"user-%d\","
          + "\"eventType\":\"login\",\"timestamp\":\"2026-12-04T10:15:30Z\",\"properties\":{}}";

  private static String event(int n) {
    return EVENT.formatted(n);
  }

  /** What was sent, and each rejected line as "N: reason". */
  private record Read(List<String> sent, List<String> rejected, EventLines lines) {}

  private static Read read(byte[] input, boolean stopAtFirstRejection) {
    List<String> rejected = new ArrayList<>();
    EventLines lines =
        new EventLines(
            new ByteArrayInputStream(input),
            "stdin",
            (number, reason) -> {
              rejected.add(number + ": " + reason);
              return !stopAtFirstRejection;
            },
            null);
    List<String> sent = new ArrayList<>();
    lines.forEachRemaining(event -> sent.add(new String(event.value(), StandardCharsets.UTF_8)));
    return new Read(sent, rejected, lines);
  }

  private static Read read(String input) {
    return read(input.getBytes(StandardCharsets.UTF_8), false);
  }

  @Test
  void eachLineIsAnEventSentAsItsOwnBytes() {
    String withUnknownField = event(2).replace("}}", "},\"campaign\":\"winter\"}");
    Read read = read(event(1) + "\n" + withUnknownField + "\n");

    assertEquals(List.of(event(1), withUnknownField), read.sent(), "unknown fields survive");
    assertEquals(List.of(), read.rejected());
    assertEquals(2, read.lines().nonBlankLines());
  }

  @Test
  void blankLinesAByteOrderMarkWindowsLineEndsAndNoFinalNewlineAreFine() {
    Read read = read("\uFEFF" + event(1) + "\r\n\r\n   \n" + event(2));

    assertEquals(List.of(event(1), event(2)), read.sent());
    assertEquals(List.of(), read.rejected());
  }

  @Test
  void whatIsNotAnEventIsReportedWithItsLineNumberAndNotSent() {
    Read read =
        read(event(1) + "\nhello\n\n" + event(3).replace("login", "teleport") + "\n" + event(5));

    assertEquals(List.of(event(1), event(5)), read.sent());
    assertEquals(2, read.rejected().size());
    assertTrue(read.rejected().get(0).startsWith("2: "), read.rejected().toString());
    assertTrue(read.rejected().get(1).startsWith("4: "), read.rejected().toString());
    assertTrue(read.rejected().get(1).contains("teleport"), read.rejected().toString());
    assertEquals(2, read.lines().rejectedCount());
    assertFalse(read.lines().stoppedEarly());
  }

  @Test
  void bytesThatAreNotUtf8AndALineTooLongForAKafkaRecordAreRejected() {
    ByteArrayOutputStream input = new ByteArrayOutputStream();
    input.writeBytes(new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}', '\n'});
    input.writeBytes("x".repeat(EventLines.MAX_LINE_BYTES + 10).getBytes(StandardCharsets.UTF_8));
    input.writeBytes(("\n" + event(3)).getBytes(StandardCharsets.UTF_8));

    Read read = read(input.toByteArray(), false);

    assertEquals(List.of(event(3)), read.sent());
    assertEquals(
        List.of(
            "1: not UTF-8 text",
            "2: longer than 1048576 bytes (1048586), too large for a Kafka record"),
        read.rejected());
  }

  @Test
  void aRejectionThatStopsTheReadingEndsIt() {
    Read read = read((event(1) + "\nhello\n" + event(3)).getBytes(StandardCharsets.UTF_8), true);

    assertEquals(List.of(event(1)), read.sent());
    assertTrue(read.lines().stoppedEarly());
  }

  @Test
  void anEmptyOrBlankInputHasNoLines() {
    assertEquals(0, read("").lines().nonBlankLines());
    assertEquals(0, read("\n  \n\r\n").lines().nonBlankLines());
    assertEquals(List.of(), read("\n  \n").sent());
  }

  @Test
  void rawLinesAreSentAsTheyAreWithTheKeySplitOffAtTheFirstDelimiter() {
    byte[] input =
        "k1:hello world\r\n\nk2:a:b\nno key here\n  \n\u00ff\n".getBytes(StandardCharsets.UTF_8);
    EventLines lines =
        EventLines.raw(
            new ByteArrayInputStream(input),
            "stdin",
            (number, reason) -> {
              throw new AssertionError("a raw line is never rejected: " + reason);
            },
            ":");
    List<String> sent = new ArrayList<>();
    lines.forEachRemaining(
        record ->
            sent.add(record.userId() + "|" + new String(record.value(), StandardCharsets.UTF_8)));

    assertEquals(
        List.of("k1|hello world", "k2|a:b", "null|no key here", "null|  ", "null|\u00ff"), sent);
    assertEquals(1, lines.emptyLines());
    assertEquals(3, lines.unkeyedLines());
    assertTrue(lines.raw());
  }

  @Test
  void rawLinesWithoutADelimiterHaveNoKeyAndAreNotCountedAsUnkeyed() {
    EventLines lines =
        EventLines.raw(
            new ByteArrayInputStream("a:1\nb:2\n".getBytes(StandardCharsets.UTF_8)),
            "stdin",
            (number, reason) -> false,
            null);
    List<String> keys = new ArrayList<>();
    lines.forEachRemaining(record -> keys.add(String.valueOf(record.userId())));
    assertEquals(List.of("null", "null"), keys);
    assertEquals(0, lines.unkeyedLines());
    assertEquals(0, lines.emptyLines());
  }
}
