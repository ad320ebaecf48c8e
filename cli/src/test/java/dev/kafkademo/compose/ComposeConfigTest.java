package dev.kafkademo.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Compose's own validation of the files ({@code config -q}), which needs the compose command but no
 * Docker engine. Skipped where neither {@code docker-compose} nor {@code docker compose} exists.
 */
class ComposeConfigTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "docker-compose.yml",
        "docker-compose.cluster.yml",
        "docker-compose.yml docker-compose.secure.yml"
      })
  void composeAcceptsTheFile(String files) throws IOException, InterruptedException {
    List<String> compose = composeCommand();
    Assumptions.assumeTrue(compose != null, "no docker-compose or docker compose here");
    List<String> command = new ArrayList<>(compose);
    for (String file : files.split(" ")) {
      command.addAll(List.of("-f", file));
    }
    command.addAll(List.of("config", "-q"));

    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    process.waitFor(60, TimeUnit.SECONDS);

    assertEquals(0, process.exitValue(), String.join(" ", command) + "\n" + output);
  }

  private static List<String> composeCommand() throws InterruptedException {
    for (List<String> candidate :
        List.of(List.of("docker-compose"), List.of("docker", "compose"))) {
      List<String> version = new ArrayList<>(candidate);
      version.add("version");
      try {
        Process process = new ProcessBuilder(version).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        if (process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0) {
          return candidate;
        }
      } catch (IOException e) {
        // not installed: try the next one
      }
    }
    return null;
  }
}
