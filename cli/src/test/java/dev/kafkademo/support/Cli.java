package dev.kafkademo.support;

import dev.kafkademo.KafkaDemo;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/** Runs kafka-demo in this JVM exactly as {@code main} would, capturing what a user would see. */
public final class Cli {
  private Cli() {}

  /** Exit code, stdout and stderr of one run. */
  public record Result(int exitCode, String out, String err) {
    public List<String> outLines() {
      return lines(out);
    }

    public List<String> errLines() {
      return lines(err);
    }

    private static List<String> lines(String text) {
      List<String> lines = new ArrayList<>();
      text.lines().filter(line -> !line.isBlank()).forEach(lines::add);
      return lines;
    }

    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  /** {@code consumer -b bootstrap --topic topic --group group} and more options. */
  public static Result consumer(String bootstrap, String topic, String group, String... options) {
    List<String> args =
        new ArrayList<>(List.of("consumer", "-b", bootstrap, "--topic", topic, "--group", group));
    args.addAll(List.of(options));
    return run(args.toArray(String[]::new));
  }

  public static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = KafkaDemo.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exitCode = cli.execute(args);
    cli.getOut().flush();
    cli.getErr().flush();
    return new Result(exitCode, out.toString(), err.toString());
  }
}
