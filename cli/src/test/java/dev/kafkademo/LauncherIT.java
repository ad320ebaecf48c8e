package dev.kafkademo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kafkademo.support.RawRecords;
import dev.kafkademo.support.TestBroker;
import dev.kafkademo.support.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/kafka-demo as a user runs it: the same commands as java -jar, a class-data archive made by
 * the first run of a command and used by the next, and nothing lost where it cannot write one.
 */
class LauncherIT {
  private static final Path LAUNCHER = Path.of("bin", "kafka-demo");
  private final String bootstrap = TestBroker.bootstrapServers();

  @TempDir Path dir;

  record Run(int exitCode, String out, String err) {}

  @Test
  void theFirstRunOfACommandMakesItsArchiveAndTheNextOnesMapIt() throws Exception {
    String topic = Topics.create(bootstrap, 1);
    Path cache = Files.createDirectory(dir.resolve("cache"));
    Map<String, String> env = Map.of("KAFKA_DEMO_CACHE", cache.toString());

    Run first = run(env, "producer", "-b", bootstrap, "-t", topic, "-n", "5", "-q");
    assertEquals(0, first.exitCode(), first::toString);
    List<Path> archives = archives(cache);
    assertEquals(1, archives.size(), "one archive, for the producer: " + archives);
    assertTrue(
        archives.get(0).getFileName().toString().startsWith("kafka-demo-producer-"),
        archives::toString);

    // -Xshare:on: the JVM refuses to start unless it maps the archive.
    Run second =
        run(
            Map.of("KAFKA_DEMO_CACHE", cache.toString(), "KAFKA_DEMO_OPTS", "-Xshare:on"),
            "producer",
            "-b",
            bootstrap,
            "-t",
            topic,
            "-n",
            "5",
            "-q");
    assertEquals(0, second.exitCode(), second::toString);
    assertEquals(archives, archives(cache), "the same archive, used");
    assertEquals(10, RawRecords.readAll(bootstrap, topic).size());
  }

  @Test
  void whereNoArchiveCanBeWrittenTheCommandRunsAsWithout() throws Exception {
    String topic = Topics.create(bootstrap, 1);
    Run missing =
        run(
            Map.of("KAFKA_DEMO_CACHE", dir.resolve("no-such-dir").toString()),
            "producer",
            "-b",
            bootstrap,
            "-t",
            topic,
            "-n",
            "3",
            "-q");
    assertEquals(0, missing.exitCode(), missing::toString);
    assertFalse(
        missing.err().contains("warning") || missing.err().contains("archive"),
        "no word about the archive: " + missing);
    Run off =
        run(Map.of("KAFKA_DEMO_CACHE", "off"), "producer", "-b", bootstrap, "-t", topic, "-n", "3");
    assertEquals(0, off.exitCode(), off::toString);
    assertEquals(6, RawRecords.readAll(bootstrap, topic).size());
  }

  @Test
  void exitCodesAndOptionsAreTheJvmsAndTheCommandsOwn() throws Exception {
    Map<String, String> noCache = Map.of("KAFKA_DEMO_CACHE", "off");
    Run notFound = run(noCache, "topics", "describe", "no-such-topic-here", "-b", bootstrap);
    assertEquals(4, notFound.exitCode(), notFound::toString);
    assertTrue(notFound.err().startsWith("error: "), notFound::toString);

    Run usage = run(noCache, "producer", "--count", "many");
    assertEquals(2, usage.exitCode(), usage::toString);

    // KAFKA_DEMO_OPTS reaches the JVM, after the launcher's own options
    Run tiny = run(Map.of("KAFKA_DEMO_CACHE", "off", "KAFKA_DEMO_OPTS", "-Xmx1m"), "--version");
    assertTrue(tiny.exitCode() != 0, tiny::toString);
    assertTrue((tiny.out() + tiny.err()).contains("Too small maximum heap"), tiny::toString);
  }

  /**
   * Scripts read stdout: {@code groups list -o json | jq length} must work on the first run too,
   * when the JVM makes its archive (Java 25's AOT cache says so on its own, on stdout by default).
   * On this JVM, and on a Java 21+ one where the machine has one.
   */
  @Test
  void stdoutHoldsTheCommandsOutputAloneOnEveryRunWhateverTheArchiveDoes() throws Exception {
    List<String> javaHomes = new ArrayList<>(List.of(System.getProperty("java.home")));
    Process find = new ProcessBuilder("scripts/schema-registry.sh", "--find-java").start();
    String newer = new String(find.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (find.waitFor() == 0 && !newer.isEmpty()) {
      javaHomes.add(Path.of(newer).getParent().getParent().toString());
    }
    for (String javaHome : javaHomes) {
      Path cache = Files.createTempDirectory(dir, "cache");
      Map<String, String> env = Map.of("KAFKA_DEMO_CACHE", cache.toString(), "JAVA_HOME", javaHome);
      for (int run = 1; run <= 3; run++) {
        Run groups = run(env, "groups", "list", "-o", "json", "-b", bootstrap);
        assertEquals(0, groups.exitCode(), groups::toString);
        assertTrue(
            dev.kafkademo.events.EventJson.mapper().readTree(groups.out()).isArray(),
            javaHome + ", run " + run + ": stdout is the JSON alone: " + groups);
        // Java 25 makes its cache in the background after the second run: wait for it.
        org.awaitility.Awaitility.await()
            .atMost(java.time.Duration.ofSeconds(60))
            .until(() -> archives(cache).stream().noneMatch(f -> f.toString().endsWith(".making")));
      }
      assertEquals(1, archives(cache).size(), javaHome + ": one archive: " + archives(cache));
    }
  }

  @Test
  void throughASymlinkTheLauncherFindsTheJarBesideTheRealScript() throws Exception {
    Path link = Files.createSymbolicLink(dir.resolve("kd"), LAUNCHER.toAbsolutePath().normalize());
    try {
      Process process =
          new ProcessBuilder(link.toString(), "--version")
              .redirectErrorStream(true)
              .directory(dir.toFile())
              .start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, process.waitFor(), output);
      assertTrue(output.startsWith("kafka-demo "), output);
    } finally {
      Files.delete(link); // the link, not the launcher it points to
    }
  }

  /** A new jar (rebuilt) replaces the command's archive instead of adding one. */
  @Test
  void eachCommandKeepsOneArchiveAcrossRebuilds() throws Exception {
    Path jar = Files.copy(Path.of("target", "kafka-demo.jar"), dir.resolve("kafka-demo.jar"));
    Path cache = Files.createDirectory(dir.resolve("cache"));
    Map<String, String> env =
        Map.of("KAFKA_DEMO_CACHE", cache.toString(), "KAFKA_DEMO_JAR", jar.toString());
    assertEquals(0, run(env, "topics", "--help").exitCode());
    List<Path> before = archives(cache);
    assertEquals(1, before.size(), before::toString);

    Files.setLastModifiedTime(
        jar, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 60_000));
    assertEquals(0, run(env, "topics", "--help").exitCode());

    List<Path> after = archives(cache);
    assertEquals(1, after.size(), "the stale one removed: " + after);
    assertFalse(after.equals(before), "a new one for the new jar: " + after);
  }

  /**
   * A cache directory that can be written but has no room for an archive (a full disk): the
   * command's result is its own. Java 17 ends a run whose archive cannot be written with exit 1.
   */
  @Test
  void aCacheWithoutRoomForTheArchiveNeverChangesTheExitCode() throws Exception {
    Path small = Files.createDirectory(dir.resolve("small"));
    Process mount =
        new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", small.toString())
            .redirectErrorStream(true)
            .start();
    org.junit.jupiter.api.Assumptions.assumeTrue(
        mount.waitFor() == 0, "a small file system needs mount (root): skipped");
    try {
      Run run = run(Map.of("KAFKA_DEMO_CACHE", small.toString()), "topics", "--help");
      assertEquals(0, run.exitCode(), run::toString);
      assertTrue(run.out().startsWith("Usage: kafka-demo topics"), run::toString);
    } finally {
      new ProcessBuilder("umount", small.toString()).start().waitFor();
    }
  }

  private List<Path> archives(Path cache) throws IOException {
    try (Stream<Path> files = Files.list(cache)) {
      return files.sorted().toList();
    }
  }

  private Run run(Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(LAUNCHER.toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().remove("KAFKA_BOOTSTRAP_SERVERS");
    builder.environment().remove("KAFKA_DEMO_OPTS");
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    builder.environment().putAll(env);
    builder.redirectOutput(dir.resolve("out.txt").toFile());
    builder.redirectError(dir.resolve("err.txt").toFile());
    Process process = builder.start();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("still running after 120 s: " + command);
    }
    return new Run(
        process.exitValue(),
        Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8),
        Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8));
  }
}
