package dev.kafkademo.backup;

/** A backup or restore that cannot go on, with the one line that says why and what it was. */
public final class BackupException extends RuntimeException {
  /** What went wrong, for the exit code. */
  public enum Kind {
    /**
     * The directory is not a backup or is another topic's, or a name given is not in it: the
     * command line is wrong.
     */
    BAD_INPUT,
    /** A topic or group that was named does not exist. */
    NOT_FOUND,
    /** A file is missing or damaged: nothing was restored. */
    DAMAGED,
    /** The topic to restore into exists and holds other records. */
    TOPIC_NOT_EMPTY,
    /** The cluster refused or failed. */
    FAILED
  }

  private final Kind kind;

  public BackupException(Kind kind, String message) {
    this(kind, message, null);
  }

  public BackupException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
