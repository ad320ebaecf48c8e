package dev.kafkademo.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Turns Ctrl-C or SIGTERM into a stop request for a running command: the JVM's shutdown hook runs
 * {@code onStop} (set a flag, wake a consumer), then waits until the command has finished its
 * cleanup (flush, commit, summary) and closed this signal, so nothing in flight is lost.
 */
final class ShutdownSignal implements AutoCloseable {
  private static final long MAX_CLEANUP_SECONDS = 60;

  private final CountDownLatch finished = new CountDownLatch(1);
  private final Thread hook;
  private volatile boolean requested;

  private ShutdownSignal(Runnable onStop) {
    this.hook =
        new Thread(
            () -> {
              requested = true;
              onStop.run();
              try {
                finished.await(MAX_CLEANUP_SECONDS, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "kafka-demo-shutdown");
  }

  static ShutdownSignal install(Runnable onStop) {
    ShutdownSignal signal = new ShutdownSignal(onStop);
    Runtime.getRuntime().addShutdownHook(signal.hook);
    return signal;
  }

  boolean requested() {
    return requested;
  }

  @Override
  public void close() {
    finished.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // The JVM is already shutting down (this is the Ctrl-C path): the hook is running and done.
    }
  }
}
