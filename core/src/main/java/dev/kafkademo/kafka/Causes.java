package dev.kafkademo.kafka;

/** A failure's chain of causes, where Kafka, Connect and Flink keep the reason. */
public final class Causes {
  private Causes() {}

  /** The innermost cause: the one that says what went wrong in the first place. */
  public static Throwable innermost(Throwable error) {
    Throwable t = error;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }

  /** The outermost cause of that type (the error itself included), or null. */
  public static <T extends Throwable> T first(Throwable error, Class<T> type) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }
}
