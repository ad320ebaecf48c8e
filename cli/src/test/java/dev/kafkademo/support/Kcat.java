package dev.kafkademo.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * kcat (librdkafka), the independent client the interop tests check our side against. CI installs
 * it (.ci/run); a test that needs it fails without it rather than passing untried.
 */
public final class Kcat {
  private Kcat() {}

  /** What kcat printed and how it ended. */
  public record Result(int exitCode, String out, String err) {
    public List<String> outLines() {
      return out.isEmpty() ? List.of() : List.of(out.split("\n"));
    }

    @Override
    public String toString() {
      return "kcat exit " + exitCode + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
    }
  }

  /** {@code kcat args}, with {@code input} on its stdin (null: none), within 60 s. */
  public static Result run(String input, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("kcat"));
    command.addAll(List.of(args));
    Path out = Files.createTempFile("kcat-out", ".txt");
    Path err = Files.createTempFile("kcat-err", ".txt");
    try {
      ProcessBuilder builder =
          new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
      if (input == null) {
        builder.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
      }
      Process process = builder.start();
      if (input != null) {
        try (var stdin = process.getOutputStream()) {
          stdin.write(input.getBytes(StandardCharsets.UTF_8));
        }
      }
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("kcat still running after 60 s: " + command);
      }
      return new Result(
          process.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
