package dev.kafkademo.sql;

import java.io.IOException;
import org.apache.flink.runtime.throwable.ThrowableAnnotation;
import org.apache.flink.runtime.throwable.ThrowableType;

/**
 * A record of user_events that stops the query: not a user event (with --on-error fail), or one
 * whose schema the registry could not be asked for. Its message is the whole story, for one line.
 * On a cluster, whose jobs restart after a failure, it fails the job for good: reading the record
 * again would fail again.
 */
@ThrowableAnnotation(ThrowableType.NonRecoverableError)
public final class UnreadableRecordException extends IOException {
  private static final long serialVersionUID = 1L;

  UnreadableRecordException(String message) {
    super(message);
  }
}
