package dev.kafkademo.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import sun.misc.Signal;

/**
 * Turns Ctrl-C or SIGTERM into a stop request for a running command: the JVM's shutdown hook runs
 * {@code onStop} (set a flag, wake a consumer), then waits until the command has finished its
 * cleanup (flush, commit, summary) and closed this signal, so nothing in flight is lost. A second
 * Ctrl-C or SIGTERM during that cleanup stops the process at once, saying what that costs (the JVM
 * alone would ignore it until the cleanup ends).
 */
public final class ShutdownSignal implements AutoCloseable {
  private static final long MAX_CLEANUP_SECONDS = 60;

  /** What a stop at once costs, where a command says nothing more precise. */
  public static final String NOT_COMMITTED_IS_READ_AGAIN =
      "what was not committed yet is read again by the next run";

  private final CountDownLatch finished = new CountDownLatch(1);
  private final Thread hook;
  private volatile boolean requested;

  private ShutdownSignal(Runnable onStop, String atOnceCost) {
    this.hook =
        new Thread(
            () -> {
              requested = true;
              stopAtOnceOnASecondSignal(atOnceCost);
              onStop.run();
              try {
                finished.await(MAX_CLEANUP_SECONDS, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "kafka-demo-shutdown");
  }

  public static ShutdownSignal install(Runnable onStop) {
    return install(onStop, NOT_COMMITTED_IS_READ_AGAIN);
  }

  /**
   * @param atOnceCost what is lost or repeated when a second signal stops the process at once
   */
  public static ShutdownSignal install(Runnable onStop, String atOnceCost) {
    ShutdownSignal signal = new ShutdownSignal(onStop, atOnceCost);
    Runtime.getRuntime().addShutdownHook(signal.hook);
    return signal;
  }

  /**
   * The JVM runs a signal's handler on a thread of its own, so a handler set now answers the next
   * signal even while the shutdown hooks run. {@code sun.misc.Signal}: the JDK has no public API
   * for it (jdk.unsupported, kept for exactly this use).
   */
  private static void stopAtOnceOnASecondSignal(String cost) {
    for (String name : new String[] {"INT", "TERM"}) {
      try {
        Signal.handle(
            new Signal(name),
            signal -> {
              System.err.println("Stopped at once (a second SIG" + name + "): " + cost);
              System.err.flush();
              Runtime.getRuntime().halt(128 + signal.getNumber());
            });
      } catch (IllegalArgumentException e) {
        // The signal is not available here (or used by the JVM): the JVM's own handling stays.
      }
    }
  }

  public boolean requested() {
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
