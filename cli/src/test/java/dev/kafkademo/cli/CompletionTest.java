package dev.kafkademo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kafkademo.support.Cli;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The completion script, sourced by bash itself, completing what a user types before TAB. */
class CompletionTest {
  @TempDir static Path dir;
  static Path script;

  @BeforeAll
  static void writeTheScript() throws IOException {
    Cli.Result result = Cli.run("completion", "bash");
    assertEquals(0, result.exitCode(), result::toString);
    script = Files.writeString(dir.resolve("kafka-demo.bash"), result.out());
  }

  /** What bash offers for the line, the cursor at its end (an empty last word: after a space). */
  private static List<String> complete(String... words) throws Exception {
    String array =
        String.join(" ", java.util.Arrays.stream(words).map(w -> "'" + w + "'").toList());
    String line = String.join(" ", words);
    Process bash =
        new ProcessBuilder(
                "bash",
                "-c",
                "source \"$0\" && COMP_WORDS=("
                    + array
                    + ") && COMP_CWORD="
                    + (words.length - 1)
                    + " && COMP_LINE='"
                    + line
                    + "' && COMP_POINT=${#COMP_LINE} && _complete_kafka-demo 2>/dev/null;"
                    + " printf '%s\\n' \"${COMPREPLY[@]}\"",
                script.toString())
            .redirectErrorStream(false)
            .start();
    String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(bash.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, bash.exitValue(), out);
    return out.lines().filter(l -> !l.isBlank()).toList();
  }

  @Test
  void commandsSubcommandsOptionsAndChoicesComplete() throws Exception {
    assertEquals(List.of("producer"), complete("kafka-demo", "prod"));
    assertEquals(List.of("connect", "connectors"), complete("kafka-demo", "conn"));
    assertTrue(
        complete("kafka-demo", "topics", "").containsAll(List.of("list", "create", "delete")));
    assertEquals(List.of("--from-beginning"), complete("kafka-demo", "consumer", "--from-b"));
    assertEquals(
        List.of("pretty", "json", "value", "none"),
        complete("kafka-demo", "consumer", "--format", ""));
  }

  @Test
  void zshGetsTheSameScriptAndAnotherShellIsAUsageError() {
    Cli.Result zsh = Cli.run("completion", "zsh");
    Cli.Result fish = Cli.run("completion", "fish");

    assertEquals(0, zsh.exitCode(), zsh::toString);
    assertTrue(zsh.out().contains("bashcompinit"), "zsh runs it through bashcompinit");
    assertEquals(2, fish.exitCode(), fish::toString);
    assertTrue(fish.err().contains("bash, zsh"), fish::toString);
  }
}
