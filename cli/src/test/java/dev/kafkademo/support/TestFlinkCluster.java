package dev.kafkademo.support;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kafkademo.rest.JsonRest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Flink session cluster started the way a user without Docker starts one ({@code
 * scripts/flink-cluster.sh start}): a JobManager and TaskManagers, each a process of its own, on
 * free ports, in a directory of the test's.
 */
public final class TestFlinkCluster implements AutoCloseable {
  private final Path dir;
  private final int port;
  private final JsonRest rest;

  private TestFlinkCluster(Path dir, int port) {
    this.dir = dir;
    this.port = port;
    this.rest = new JsonRest("http://127.0.0.1:" + port, null, Duration.ofSeconds(10), "*/*");
  }

  /** Returns once the REST API reports every TaskManager registered, as the script does. */
  public static TestFlinkCluster start(Path dir, int taskManagers) throws InterruptedException {
    int port = Ports.free();
    Script start =
        script(
            "start",
            "--dir",
            dir.toString(),
            "--port",
            "" + port,
            "--rpc-port",
            "" + Ports.free(),
            "--taskmanagers",
            "" + taskManagers);
    if (start.exitCode() != 0) {
      throw new AssertionError("scripts/flink-cluster.sh start failed: " + start);
    }
    if (!start.out().strip().equals("127.0.0.1:" + port)) {
      throw new AssertionError("start prints the JobManager's address on stdout: " + start);
    }
    return new TestFlinkCluster(dir, port);
  }

  /** HOST:PORT of the JobManager's REST API, for --jobmanager. */
  public String address() {
    return "127.0.0.1:" + port;
  }

  /** {@code GET path} of the REST API. */
  public JsonNode get(String path) {
    try {
      JsonRest.Answer answer = rest.send("GET", path, null);
      if (!answer.ok()) {
        throw new AssertionError("GET " + path + ": HTTP " + answer.status() + " " + answer.body());
      }
      return answer.body();
    } catch (JsonRest.NoAnswer e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A job's state, as the JobManager says it now ({@code /jobs/ID} answers from a cache up to
   * seconds old).
   */
  public String state(String jobId) {
    return get("/jobs/" + jobId + "/status").path("status").asText();
  }

  /** The resource ids (taskmanager-N) of the TaskManagers that run a task now. */
  public List<String> busyTaskManagers() {
    List<String> busy = new java.util.ArrayList<>();
    for (JsonNode taskManager : get("/taskmanagers").path("taskmanagers")) {
      if (taskManager.path("freeSlots").asInt() < taskManager.path("slotsNumber").asInt()) {
        busy.add(taskManager.path("id").asText());
      }
    }
    return busy;
  }

  /** SIGKILL, as a machine that is gone: no shutdown, no goodbye to the JobManager. */
  public void kill(String resourceId) throws IOException, InterruptedException {
    String pid = Files.readString(dir.resolve(resourceId + ".pid")).strip();
    Process kill = new ProcessBuilder("kill", "-KILL", pid).start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new AssertionError("kill -KILL " + pid + " (" + resourceId + ") failed");
    }
  }

  @Override
  public void close() throws InterruptedException {
    Script stop = script("stop", "--dir", dir.toString());
    if (stop.exitCode() != 0) {
      throw new AssertionError("scripts/flink-cluster.sh stop failed: " + stop);
    }
  }

  /** What the script printed and its exit code. */
  public record Script(int exitCode, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\nstdout: " + out + "\nstderr: " + err;
    }
  }

  public static Script script(String... args) throws InterruptedException {
    try {
      List<String> command = new java.util.ArrayList<>();
      command.add("scripts/flink-cluster.sh");
      command.addAll(List.of(args));
      Path err = Files.createTempFile("flink-cluster", ".err");
      Process process = new ProcessBuilder(command).redirectError(err.toFile()).start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(3, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new AssertionError("scripts/flink-cluster.sh " + String.join(" ", args) + " hung");
      }
      String errors = Files.readString(err);
      Files.delete(err);
      return new Script(process.exitValue(), out, errors);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
