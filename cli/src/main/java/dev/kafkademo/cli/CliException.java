package dev.kafkademo.cli;

/** A failure the user can fix, with the one line that says what to check and the exit code. */
public class CliException extends RuntimeException {
  private final int exitCode;

  public CliException(String message, int exitCode, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  public CliException(String message) {
    this(message, ExitCodes.FAILURE, null);
  }

  public int exitCode() {
    return exitCode;
  }

  /** Bad input named on the command line (a file, a property): exit 2, like a usage error. */
  public static CliException badInput(String message, Throwable cause) {
    return new CliException(message, ExitCodes.USAGE, cause);
  }
}
