package dev.kafkademo.cli.commands;

import dev.kafkademo.cli.CliException;
import dev.kafkademo.cli.ExitCodes;
import dev.kafkademo.cli.ShutdownSignal;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Flink is not in kafka-demo.jar (it would double its size and slow every command's start): the sql
 * command, started from it, runs kafka-demo-sql.jar beside it with the same arguments, in a JVM of
 * its own, and ends with its exit code.
 */
public final class SqlHandOff {
  static final String SQL_JAR = "kafka-demo-sql.jar";

  /** Set in the JVM that runs the sql jar: the process id of the one that started it. */
  private static final String STARTED_BY = "kafka-demo.sql.started-by";

  private SqlHandOff() {}

  static boolean flinkPresent() {
    try {
      Class.forName(
          "org.apache.flink.table.api.TableEnvironment", false, SqlHandOff.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  static int run(List<String> args) throws IOException, InterruptedException {
    Path jar = sqlJar();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-D" + STARTED_BY + "=" + ProcessHandle.current().pid());
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(args);
    Process child = new ProcessBuilder(command).inheritIO().start();
    // On Ctrl-C the terminal stops both; a SIGTERM to this one is passed on. Either way this JVM
    // waits for the other to finish its summary.
    try (ShutdownSignal stop = ShutdownSignal.install(child::destroy)) {
      return child.waitFor();
    }
  }

  /**
   * In the JVM that runs the sql jar for another: when that one ends without passing a signal on
   * (killed with -9), this one stops too, as after a SIGTERM, instead of running on unseen.
   */
  static void stopWithTheOneThatStartedThis() {
    String parent = System.getProperty(STARTED_BY);
    if (parent == null) {
      return;
    }
    try {
      ProcessHandle.of(Long.parseLong(parent))
          .ifPresentOrElse(
              handle -> handle.onExit().thenRun(() -> System.exit(ExitCodes.TERMINATED)),
              () -> System.exit(ExitCodes.TERMINATED));
    } catch (NumberFormatException e) {
      // not set by run(): nothing to watch
    }
  }

  private static Path sqlJar() {
    return beside(SQL_JAR, "The sql command runs from");
  }

  /**
   * A jar in the folder of the one this class was loaded from ({@code target/}, where the build
   * writes them all), or one line saying it is missing.
   *
   * @param what what needs it, before the jar's path in that line
   */
  static Path beside(String name, String what) {
    Path here;
    try {
      here = Path.of(SqlHandOff.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException | RuntimeException e) {
      here = Path.of("target", "kafka-demo.jar");
    }
    Path jar = (Files.isDirectory(here) ? here : here.getParent()).resolve(name);
    if (!Files.isRegularFile(jar)) {
      throw new CliException(
          what
              + " "
              + jar
              + ", which is missing: build it with mvn -B package (it is built with kafka-demo.jar)",
          ExitCodes.FAILURE,
          null);
    }
    return jar;
  }
}
