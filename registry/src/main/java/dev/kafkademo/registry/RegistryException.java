package dev.kafkademo.registry;

/** The schema registry refused a request, or could not be reached. */
public final class RegistryException extends RuntimeException {
  /** What went wrong, as far as a caller decides what to do about it. */
  public enum Kind {
    /** No answer: not running, wrong address, or too slow. */
    UNREACHABLE,
    /** Unknown subject, version or schema id (HTTP 404). */
    NOT_FOUND,
    /** The schema breaks the subject's compatibility rule (HTTP 409). */
    INCOMPATIBLE,
    /** The schema itself is not valid (HTTP 422). */
    INVALID,
    /** Credentials missing or refused (HTTP 401/403). */
    UNAUTHORIZED,
    /** Anything else the registry answered. */
    OTHER
  }

  private final Kind kind;

  RegistryException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
