package dev.kafkademo.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** {@code java -jar target/kafka-demo.jar ...} in a child JVM, as a user runs it from a shell. */
public final class JarProcess implements AutoCloseable {
  public static final Path JAR = Path.of("target", "kafka-demo.jar");

  private final Process process;
  private final StringBuffer out = new StringBuffer();
  private final StringBuffer err = new StringBuffer();
  private final Thread outPump;
  private final Thread errPump;

  private JarProcess(Process process) {
    this.process = process;
    this.outPump = pump(process.getInputStream(), out);
    this.errPump = pump(process.getErrorStream(), err);
  }

  public static JarProcess start(String... args) {
    return start(Map.of(), args);
  }

  /** With these environment variables set too. */
  public static JarProcess start(Map<String, String> environment, String... args) {
    try {
      ProcessBuilder builder = new ProcessBuilder(command(args));
      builder.environment().remove("KAFKA_BOOTSTRAP_SERVERS");
      builder.environment().putAll(environment);
      return new JarProcess(builder.start());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code java -jar target/kafka-demo.jar args}, with the java of this JVM. */
  public static List<String> command(String... args) {
    if (!Files.isRegularFile(JAR)) {
      throw new IllegalStateException(JAR + " is missing: run `mvn package` first");
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(JAR.toString());
    command.addAll(List.of(args));
    return command;
  }

  /** Runs to the end and returns its exit code. */
  public int waitFor(long seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("still running after " + seconds + " s\n" + this);
    }
    outPump.join();
    errPump.join();
    return process.exitValue();
  }

  /** SIGTERM, as Ctrl-C or {@code kill} would send, then waits for the exit code. */
  public int terminate(long seconds) throws InterruptedException {
    // Not Process.destroy(): it closes our ends of stdout and stderr, losing what comes after.
    try {
      int kill =
          new ProcessBuilder("kill", "-TERM", Long.toString(process.pid()))
              .inheritIO()
              .start()
              .waitFor();
      if (kill != 0) {
        throw new AssertionError("kill -TERM " + process.pid() + " exited " + kill);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return waitFor(seconds);
  }

  public boolean alive() {
    return process.isAlive();
  }

  public long pid() {
    return process.pid();
  }

  public String out() {
    return out.toString();
  }

  public String err() {
    return err.toString();
  }

  public List<String> outLines() {
    return out().lines().filter(line -> !line.isBlank()).toList();
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }

  @Override
  public String toString() {
    return "--- stdout\n" + out + "--- stderr\n" + err;
  }

  private static Thread pump(InputStream from, StringBuffer to) {
    Thread thread =
        new Thread(
            () -> {
              byte[] buffer = new byte[8192];
              try {
                int n;
                while ((n = from.read(buffer)) >= 0) {
                  to.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                }
              } catch (IOException e) {
                to.append("[pump failed: ").append(e.getMessage()).append(']');
              }
            });
    thread.setDaemon(true);
    thread.start();
    return thread;
  }
}
