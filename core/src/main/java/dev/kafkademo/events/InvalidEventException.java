package dev.kafkademo.events;

/** A record value or input line that is not a valid {@link UserEvent}; the message says why. */
public final class InvalidEventException extends Exception {
  public InvalidEventException(String reason) {
    super(reason);
  }

  public InvalidEventException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
