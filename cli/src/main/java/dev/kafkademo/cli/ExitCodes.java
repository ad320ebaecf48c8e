package dev.kafkademo.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/** Exit codes are part of the interface: the README and every command's --help list them. */
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

  /** Stopped by Ctrl-C (SIGINT), after the cleanup; set by the JVM, as 128 + 2. */
  public static final int INTERRUPTED = 130;

  /**
   * Standard output was closed by its reader (a pipe into {@code head}): the command stopped early.
   * 128 + SIGPIPE, what a shell reports for a program that a closed pipe ended.
   */
  public static final int OUTPUT_CLOSED = 141;

  /** Stopped by SIGTERM, after the cleanup; set by the JVM, as 128 + 15. */
  public static final int TERMINATED = 143;

  /** Each code with what it means, for --help. */
  public static Map<String, String> described() {
    Map<String, String> codes = new LinkedHashMap<>();
    codes.put(" " + OK, "success");
    codes.put(
        " " + FAILURE,
        "failure at run time: broker unreachable, authentication failed,"
            + " events not acknowledged, invalid records or input lines");
    codes.put(
        " " + USAGE, "usage error: unknown option, bad value, unreadable file, invalid setting");
    codes.put(" " + ALREADY_EXISTS, "what was to be created exists already");
    codes.put(" " + NOT_FOUND, "what was named does not exist (topic, group)");
    codes.put("" + INTERRUPTED, "stopped by Ctrl-C, after flushing and committing");
    codes.put(
        "" + OUTPUT_CLOSED, "stdout was closed (| head): stopped, committed what was written");
    codes.put("" + TERMINATED, "stopped by SIGTERM, after flushing and committing");
    return codes;
  }

  private ExitCodes() {}
}
