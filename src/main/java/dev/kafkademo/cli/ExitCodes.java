package dev.kafkademo.cli;

/** Exit codes are part of the interface; the README lists them. */
public final class ExitCodes {
  public static final int OK = 0;

  /** Something failed at run time: a broker not reachable, events not acknowledged. */
  public static final int FAILURE = 1;

  /** The command line is wrong: an unknown flag, a bad value, a file that cannot be read. */
  public static final int USAGE = 2;

  /** What was to be created exists already (a topic). */
  public static final int ALREADY_EXISTS = 3;

  /** What was named does not exist (a topic, a group). */
  public static final int NOT_FOUND = 4;

  private ExitCodes() {}
}
