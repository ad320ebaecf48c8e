package dev.kafkademo.connect;

/** What a connector's or task's failure trace says, in one line a person can act on. */
public final class Traces {
  private Traces() {}

  /**
   * A trace's first line ("Exiting WorkerSinkTask due to unrecoverable exception.") names neither
   * the system nor the reason, so the deepest cause (PostgreSQL's own message) follows it.
   */
  public static String summary(String trace) {
    String first = trace.lines().findFirst().orElse("").strip();
    String root =
        trace
            .lines()
            .map(String::strip)
            .filter(line -> line.startsWith("Caused by: "))
            .reduce((earlier, later) -> later)
            .map(line -> line.substring("Caused by: ".length()))
            .orElse(null);
    return root == null || root.equals(first)
        ? withoutPackage(first)
        : withoutPackage(first) + " Cause: " + withoutPackage(root);
  }

  /** {@code org.postgresql.util.PSQLException: ...} as {@code PSQLException: ...}. */
  private static String withoutPackage(String line) {
    return line.replaceFirst("^(?:[a-z][\\w]*\\.)+(?=[A-Z][\\w$]*(?::|$))", "");
  }
}
