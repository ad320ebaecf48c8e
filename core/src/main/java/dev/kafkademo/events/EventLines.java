package dev.kafkademo.events;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Events from JSON lines (a file or stdin), one event per line. Blank lines are passed over; a line
 * that is not a valid event (not UTF-8, too long for a Kafka record, not an event) is reported with
 * its line number and not sent. As JSON, the line's own bytes are sent, so fields this version does
 * not know survive the trip; as Avro, the event must fit the schema.
 */
public final class EventLines implements Iterator<OutgoingEvent> {
  /** Kafka's default largest record (max.message.bytes) is about 1 MB: a longer line cannot go. */
  public static final int MAX_LINE_BYTES = 1024 * 1024;

  /** Told about each line that is not sent; returns false to stop reading (--on-invalid fail). */
  public interface RejectedLines {
    boolean rejected(long lineNumber, String reason);
  }

  private final InputStream in;
  private final String name;
  private final RejectedLines rejected;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream(512);
  private OutgoingEvent next;
  private long lineNumber;
  private long rejectedCount;
  private long nonBlankLines;
  private boolean stopped;
  private boolean endOfInput;

  /**
   * The length of the line just read when it is over the limit (its bytes are not kept), else 0.
   */
  private long overlongLength;

  /** Null: the line's own bytes are sent. */
  private final EventEncoder encoder;

  /** Raw lines: each is a record value as it is, not an event. */
  private final boolean raw;

  /** Raw lines: the key is what comes before the first of these bytes; null: no keys. */
  private final byte[] keyDelimiter;

  private long emptyLines;
  private long unkeyedLines;

  public EventLines(InputStream in, String name, RejectedLines rejected, EventEncoder encoder) {
    this(in, name, rejected, encoder, false, null);
  }

  private EventLines(
      InputStream in,
      String name,
      RejectedLines rejected,
      EventEncoder encoder,
      boolean raw,
      byte[] keyDelimiter) {
    this.in = in;
    this.encoder = encoder;
    this.name = name;
    this.rejected = rejected;
    this.raw = raw;
    this.keyDelimiter = keyDelimiter;
  }

  /**
   * Lines that are record values as they are, for topics that do not hold user-events ({@code
   * producer --raw}); empty lines are skipped and counted. With a {@code keyDelimiter}, the key is
   * split off each line at its first occurrence (kcat's -K); a line without it is sent without a
   * key, and counted.
   *
   * @param keyDelimiter null: records without keys
   */
  public static EventLines raw(
      InputStream in, String name, RejectedLines rejected, String keyDelimiter) {
    if (keyDelimiter != null && keyDelimiter.isEmpty()) {
      throw new IllegalArgumentException("the key delimiter must not be empty");
    }
    return new EventLines(
        in,
        name,
        rejected,
        null,
        true,
        keyDelimiter == null ? null : keyDelimiter.getBytes(StandardCharsets.UTF_8));
  }

  /** Raw lines: the empty ones, skipped. */
  public long emptyLines() {
    return emptyLines;
  }

  /** Raw lines with a key delimiter: those without it, sent without a key. */
  public long unkeyedLines() {
    return unkeyedLines;
  }

  /** True when the lines are records as they are, not events. */
  public boolean raw() {
    return raw;
  }

  public long rejectedCount() {
    return rejectedCount;
  }

  /** True when a rejected line ended the reading early. */
  public boolean stoppedEarly() {
    return stopped;
  }

  /** Lines that held anything at all; 0 means the input was empty or blank. */
  public long nonBlankLines() {
    return nonBlankLines;
  }

  @Override
  public boolean hasNext() {
    while (next == null && !stopped) {
      byte[] bytes = readLine();
      if (bytes == null) {
        return false;
      }
      lineNumber++;
      String problem = problem(bytes);
      if (problem == null) {
        continue; // blank, or a valid event now in next
      }
      nonBlankLines++;
      rejectedCount++;
      stopped = !rejected.rejected(lineNumber, problem);
    }
    return next != null;
  }

  /** Null for a blank line or a valid event (then in {@link #next}); otherwise what is wrong. */
  private String problem(byte[] bytes) {
    if (overlongLength > 0 || bytes.length > MAX_LINE_BYTES) {
      long length = Math.max(overlongLength, bytes.length);
      return "longer than "
          + MAX_LINE_BYTES
          + " bytes ("
          + length
          + "), too large for a Kafka record";
    }
    if (raw) {
      return rawRecord(bytes);
    }
    if (!isUtf8(bytes)) {
      return "not UTF-8 text";
    }
    byte[] value = strip(bytes);
    if (value.length == 0) {
      return null;
    }
    try {
      UserEvent event = EventJson.parse(value);
      byte[] encoded = encoder == null ? value : encoder.encode(event);
      nonBlankLines++;
      next = new OutgoingEvent(event.userId(), event.eventType(), encoded);
      return null;
    } catch (InvalidEventException e) {
      return e.getMessage();
    }
  }

  /** A raw line: an empty one is skipped; anything else is the next record. Never a problem. */
  private String rawRecord(byte[] bytes) {
    if (bytes.length == 0) {
      emptyLines++;
      return null;
    }
    nonBlankLines++;
    int at = keyDelimiter == null ? -1 : indexOf(bytes, keyDelimiter);
    if (at < 0) {
      if (keyDelimiter != null) {
        unkeyedLines++;
      }
      next = new OutgoingEvent(null, null, bytes);
    } else {
      next =
          new OutgoingEvent(
              new String(bytes, 0, at, StandardCharsets.UTF_8),
              null,
              Arrays.copyOfRange(bytes, at + keyDelimiter.length, bytes.length));
    }
    return null;
  }

  private static int indexOf(byte[] bytes, byte[] part) {
    outer:
    for (int i = 0; i + part.length <= bytes.length; i++) {
      for (int j = 0; j < part.length; j++) {
        if (bytes[i + j] != part[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  @Override
  public OutgoingEvent next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    OutgoingEvent event = next;
    next = null;
    return event;
  }

  /** The next line's bytes without the line end, or null at the end of the input. */
  private byte[] readLine() {
    if (endOfInput) {
      return null;
    }
    line.reset();
    overlongLength = 0;
    try {
      int b;
      while ((b = in.read()) != -1 && b != '\n') {
        // Past the limit only the length matters: keep counting, stop storing.
        if (line.size() <= MAX_LINE_BYTES) {
          line.write(b);
        } else {
          return drainLongLine();
        }
      }
      if (b == -1) {
        endOfInput = true;
        if (line.size() == 0) {
          return null;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + name + ": " + e.getMessage(), e);
    }
    byte[] bytes = line.toByteArray();
    int length = bytes.length;
    if (lineNumber == 0 && startsWithByteOrderMark(bytes)) {
      // Editors on Windows begin UTF-8 files with one; it is not part of the first event.
      bytes = Arrays.copyOfRange(bytes, UTF8_BOM.length, length);
      length = bytes.length;
    }
    if (length > 0 && bytes[length - 1] == '\r') {
      length--;
    }
    return Arrays.copyOf(bytes, length);
  }

  /** Skips the rest of an over-long line, keeping only its length. */
  private byte[] drainLongLine() throws IOException {
    long length = line.size() + 1;
    int b;
    while ((b = in.read()) != -1 && b != '\n') {
      length++;
    }
    if (b == -1) {
      endOfInput = true;
    }
    overlongLength = length;
    return new byte[0];
  }

  private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

  private static boolean startsWithByteOrderMark(byte[] bytes) {
    return bytes.length >= 3
        && Arrays.equals(bytes, 0, UTF8_BOM.length, UTF8_BOM, 0, UTF8_BOM.length);
  }

  private static boolean isUtf8(byte[] bytes) {
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  private static byte[] strip(byte[] bytes) {
    int start = 0;
    int end = bytes.length;
    while (start < end && Character.isWhitespace(bytes[start])) {
      start++;
    }
    while (end > start && Character.isWhitespace(bytes[end - 1])) {
      end--;
    }
    return start == 0 && end == bytes.length ? bytes : Arrays.copyOfRange(bytes, start, end);
  }
}
