package dev.kafkademo.cli;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Runs a progress report once a second on a daemon thread, for as long as a command runs. */
final class ProgressTicker implements AutoCloseable {
  private final ScheduledExecutorService scheduler;

  private ProgressTicker(Runnable report) {
    scheduler =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "kafka-demo-progress");
              thread.setDaemon(true);
              return thread;
            });
    scheduler.scheduleAtFixedRate(report, 1, 1, TimeUnit.SECONDS);
  }

  static ProgressTicker everySecond(Runnable report) {
    return new ProgressTicker(report);
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
