package dev.kafkademo.kafka.consume;

/**
 * Thrown by a {@link RecordHandler} when what it shows can no longer be written (its reader closed
 * the pipe): the loop stops and commits only what the handler last confirmed as shown.
 */
public final class OutputClosedException extends RuntimeException {
  public OutputClosedException() {
    super("the output was closed", null, false, false);
  }
}
