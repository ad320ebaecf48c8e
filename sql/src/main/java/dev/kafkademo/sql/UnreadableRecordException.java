package dev.kafkademo.sql;

import java.io.IOException;

/**
 * A record of user_events that stops the query: not a user event (with --on-error fail), or one
 * whose schema the registry could not be asked for. Its message is the whole story, for one line.
 */
public final class UnreadableRecordException extends IOException {
  private static final long serialVersionUID = 1L;

  UnreadableRecordException(String message) {
    super(message);
  }
}
