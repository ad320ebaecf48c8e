package dev.kafkademo.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real PostgreSQL, started the way a user without Docker starts one ({@code
 * scripts/postgres.sh}): one for the whole test JVM, in a directory of its own, on a free port.
 * Skipped, with the reason, only where no PostgreSQL server is installed ({@code .ci/run} installs
 * Debian's).
 */
public final class TestPostgres {
  private static TestPostgres shared;

  private Process process;
  private final int port;
  private final Path data;

  private TestPostgres(Process process, int port, Path data) {
    this.process = process;
    this.port = port;
    this.data = data;
  }

  public static synchronized TestPostgres get() {
    if (shared == null) {
      shared = start();
      Runtime.getRuntime().addShutdownHook(new Thread(shared::stop, "test-postgres-stop"));
    }
    return shared;
  }

  private static TestPostgres start() {
    try {
      int port = Ports.free();
      Path data = Files.createTempDirectory("kafka-demo-postgres");
      return new TestPostgres(run(port, data), port, data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops PostgreSQL, as a database that goes away; {@link #resume} brings it back. */
  public synchronized void pause() throws InterruptedException {
    process.destroy(); // SIGTERM: the script stops PostgreSQL cleanly
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      throw new AssertionError("PostgreSQL did not stop");
    }
  }

  /** Starts it again, on the same port, with the same data. */
  public synchronized void resume() {
    process = run(port, data);
  }

  /** The script in the background, once PostgreSQL accepts connections. */
  private static Process run(int port, Path data) {
    Path log = Path.of("target", "postgres-" + port + ".log");
    Process process;
    try {
      Files.deleteIfExists(log);
      process =
          new ProcessBuilder(
                  "scripts/postgres.sh",
                  "--port",
                  "" + port,
                  "--data-dir",
                  data.toString(),
                  "--no-fsync")
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    await()
        .atMost(Duration.ofMinutes(1))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              String text = Files.readString(log);
              if (!process.isAlive()) {
                Assumptions.assumeFalse(
                    process.exitValue() == 3, "no PostgreSQL server installed: " + text.strip());
                throw new AssertionError("PostgreSQL did not start: " + text);
              }
              return text.contains("PostgreSQL ready");
            });
    return process;
  }

  public int port() {
    return port;
  }

  /** What the connector files' ${demo:...} settings need to find this database. */
  public Map<String, String> environment() {
    return Map.of("KAFKA_DEMO_POSTGRES_PORT", "" + port);
  }

  /** A connection as the user the connectors use. */
  public Connection connect() throws SQLException {
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + port + "/kafka_demo", "kafka_demo", "kafka_demo");
  }

  private void stop() {
    process.destroy(); // SIGTERM: the script stops PostgreSQL cleanly
    try {
      process.waitFor(30, TimeUnit.SECONDS);
      try (var files = Files.walk(data)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      // a temporary directory left behind: nothing a test run depends on
    }
  }
}
