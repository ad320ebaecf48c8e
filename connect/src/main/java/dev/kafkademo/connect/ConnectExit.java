package dev.kafkademo.connect;

import java.util.function.Supplier;
import org.apache.kafka.common.utils.internals.Exit;

/**
 * The one place that touches Kafka's internal {@code Exit}: Connect's worker calls it to end the
 * JVM when it cannot start, and Connect has no public way to have that reported instead.
 */
final class ConnectExit {
  private ConnectExit() {}

  /**
   * Runs {@code start}; a call to exit meanwhile becomes the exception {@code onExit} makes of the
   * exit code and message, thrown from where Connect called it.
   */
  static <T> T reportedAsException(
      Supplier<T> start, java.util.function.BiFunction<Integer, String, RuntimeException> onExit) {
    Exit.setExitProcedure(
        (code, message) -> {
          throw onExit.apply(code, message);
        });
    try {
      return start.get();
    } finally {
      Exit.resetExitProcedure();
    }
  }
}
