package dev.kafkademo.cli;

import dev.kafkademo.events.EventJson;
import dev.kafkademo.events.InvalidEventException;
import dev.kafkademo.events.UserEvent;
import dev.kafkademo.kafka.OutgoingEvent;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Events from JSON lines (a file or stdin), one event per line. Blank lines are passed over; a line
 * that is not a valid event is reported with its line number and not sent. The line's own bytes are
 * sent, so fields this version does not know survive the trip.
 */
final class InputFileEvents implements Iterator<OutgoingEvent> {
  /** Told about each line that is not sent. */
  interface RejectedLines {
    void rejected(long lineNumber, String reason);
  }

  private final BufferedReader reader;
  private final String name;
  private final RejectedLines rejected;
  private OutgoingEvent next;
  private long lineNumber;
  private long rejectedCount;

  InputFileEvents(BufferedReader reader, String name, RejectedLines rejected) {
    this.reader = reader;
    this.name = name;
    this.rejected = rejected;
  }

  long rejectedCount() {
    return rejectedCount;
  }

  @Override
  public boolean hasNext() {
    while (next == null) {
      String line = readLine();
      if (line == null) {
        return false;
      }
      lineNumber++;
      if (line.isBlank()) {
        continue;
      }
      byte[] value = line.strip().getBytes(StandardCharsets.UTF_8);
      try {
        UserEvent event = EventJson.parse(value);
        next = new OutgoingEvent(event.userId(), event.eventType(), value);
      } catch (InvalidEventException e) {
        rejectedCount++;
        rejected.rejected(lineNumber, e.getMessage());
      }
    }
    return true;
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

  private String readLine() {
    try {
      return reader.readLine();
    } catch (MalformedInputException e) {
      throw CliException.badInput(name + " line " + (lineNumber + 1) + " is not UTF-8 text", e);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + name + ": " + e.getMessage(), e);
    }
  }
}
