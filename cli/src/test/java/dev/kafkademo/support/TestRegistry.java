package dev.kafkademo.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real schema registry (Apicurio, its schemas in a file database of its own) started the way a
 * user starts it, with {@code scripts/schema-registry.sh}: one for the whole test JVM, or a
 * separate one a test may stop. Skipped, with the reason, only where no Java 21+ runtime exists
 * ({@code .ci/run} makes sure one does).
 */
public final class TestRegistry implements AutoCloseable {
  private static final Path SCRIPT = Path.of("scripts", "schema-registry.sh");
  private static TestRegistry shared;

  private final Process process;
  private final String url;
  private final int port;
  private final Path dataDir;

  private TestRegistry(Process process, String url, int port, Path dataDir) {
    this.process = process;
    this.url = url;
    this.port = port;
    this.dataDir = dataDir;
  }

  /** The JVM's registry's URL (Confluent's API), started on first use. */
  public static synchronized String url() {
    if (shared == null) {
      shared = start();
      Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "test-registry-stop"));
    }
    return shared.url;
  }

  /** A registry of its own, with storage of its own, for a test that stops it. */
  public static TestRegistry start() {
    assumeJava21();
    try {
      return start(Ports.free(), Files.createTempDirectory("schema-registry-"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The same registry again, after {@link #close}: same port, same stored schemas. */
  public TestRegistry restart() {
    return start(port, dataDir);
  }

  private static TestRegistry start(int port, Path dataDir) {
    String url = "http://127.0.0.1:" + port + "/apis/ccompat/v7";
    Process process;
    try {
      process =
          new ProcessBuilder(
                  SCRIPT.toString(), "--port", "" + port, "--data-dir", dataDir.toString())
              .redirectErrorStream(true)
              .redirectOutput(
                  ProcessBuilder.Redirect.appendTo(
                      Path.of("target", "schema-registry-" + port + ".log").toFile()))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    TestRegistry registry = new TestRegistry(process, url, port, dataDir);
    HttpClient http = HttpClient.newHttpClient();
    await()
        .atMost(Duration.ofMinutes(3)) // the first run unpacks it through Maven
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .until(
            () -> {
              if (!process.isAlive()) {
                throw new AssertionError(
                    "the schema registry exited "
                        + process.exitValue()
                        + ": see target/schema-registry-"
                        + port
                        + ".log");
              }
              return http.send(
                          HttpRequest.newBuilder(URI.create(url + "/subjects")).build(),
                          HttpResponse.BodyHandlers.discarding())
                      .statusCode()
                  == 200;
            });
    return registry;
  }

  public String registryUrl() {
    return url;
  }

  private static void assumeJava21() {
    try {
      Process find = new ProcessBuilder(SCRIPT.toString(), "--find-java").start();
      String found = new String(find.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      String why = new String(find.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      Assumptions.assumeTrue(find.waitFor() == 0, why.strip());
      Assumptions.assumeFalse(found.isBlank(), "no Java 21+ runtime for the schema registry");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Stops it at once, as a crash would. */
  @Override
  public void close() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
