package dev.kafkademo.cli.output;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Runs a report periodically on a daemon thread, for as long as a command runs. */
public final class ProgressTicker implements AutoCloseable {
  private final ScheduledExecutorService scheduler;

  private ProgressTicker() {
    scheduler = null;
  }

  private ProgressTicker(Runnable report, long periodMillis) {
    scheduler =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "kafka-demo-progress");
              thread.setDaemon(true);
              return thread;
            });
    scheduler.scheduleAtFixedRate(report, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
  }

  public static ProgressTicker everySecond(Runnable report) {
    return new ProgressTicker(report, 1000);
  }

  /** Nothing runs, and no thread is started, for a zero period. */
  public static ProgressTicker every(Duration period, Runnable report) {
    return period.isZero()
        ? new ProgressTicker()
        : new ProgressTicker(report, Math.max(1, period.toMillis()));
  }

  @Override
  public void close() {
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
  }
}
