package dev.kafkademo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kafkademo.events.EventJson;
import dev.kafkademo.support.JarProcess;
import dev.kafkademo.support.Names;
import dev.kafkademo.support.TestBroker;
import dev.kafkademo.support.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Contexts as a user meets them: the jar run as a process with its own configuration directory
 * ($XDG_CONFIG_HOME), a real broker behind one context and an address where nothing answers behind
 * the other, to show which one each command used.
 */
class ContextsIT {
  private static final String BOOTSTRAP = TestBroker.bootstrapServers();
  private static final String NOBODY = "127.0.0.1:1";

  @TempDir Path config;

  /** Exit code and output of one run of the jar. */
  record Run(int exitCode, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  @Test
  void aContextNamesTheClusterAndFlagsAndTheEnvironmentWinOverIt() throws Exception {
    String topic = Topics.create(BOOTSTRAP, Names.unique("in-context"), 1);
    Path properties =
        Files.writeString(
            config.resolve("client.properties"),
            "client.id=contexts-it\nssl.truststore.password=hunter2\n");

    Run addLocal =
        run(
            Map.of(),
            "context",
            "add",
            "local",
            "-b",
            BOOTSTRAP,
            "--command-config",
            properties.toString(),
            "--schema-registry",
            "http://reader:s3cret@localhost:8081");
    Run addFar = run(Map.of(), "context", "add", "far", "-b", NOBODY);
    Run addAgain = run(Map.of(), "context", "add", "far", "-b", NOBODY);
    Run current = run(Map.of(), "topics", "list");
    Run named = run(Map.of(), "--context", "far", "topics", "list", "--timeout", "1s");
    Run fromEnv = run(Map.of("KAFKA_DEMO_CONTEXT", "far"), "topics", "list", "--timeout", "1s");
    Run flagWins = run(Map.of("KAFKA_DEMO_CONTEXT", "far"), "topics", "list", "-b", BOOTSTRAP);
    Run envWins =
        run(
            Map.of("KAFKA_DEMO_CONTEXT", "far", "KAFKA_BOOTSTRAP_SERVERS", BOOTSTRAP),
            "topics",
            "list");
    Run missing = run(Map.of(), "--context", "nowhere", "topics", "list");
    Run show = run(Map.of(), "context", "show", "-o", "json");

    Path file = config.resolve("kafka-demo").resolve("contexts.json");
    assertEquals(0, addLocal.exitCode(), addLocal::toString);
    assertTrue(addLocal.err().contains("Added context local, now in use"), addLocal::toString);
    assertEquals(0, addFar.exitCode(), addFar::toString);
    assertEquals(3, addAgain.exitCode(), addAgain::toString);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals(
        "rwx------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));

    assertEquals(0, current.exitCode(), current::toString);
    assertTrue(current.out().contains(topic), "the current context's broker: " + current);
    assertEquals(1, named.exitCode(), named::toString);
    assertTrue(named.err().contains(NOBODY), named::toString);
    assertEquals(1, fromEnv.exitCode(), fromEnv::toString);
    assertTrue(fromEnv.err().contains(NOBODY), fromEnv::toString);
    assertEquals(0, flagWins.exitCode(), flagWins::toString);
    assertTrue(flagWins.out().contains(topic), flagWins::toString);
    assertEquals(0, envWins.exitCode(), envWins::toString);
    assertTrue(envWins.out().contains(topic), envWins::toString);
    assertEquals(4, missing.exitCode(), missing::toString);
    assertEquals(
        "error: Context nowhere (from --context) does not exist: see kafka-demo context list",
        missing.err().strip());

    assertEquals(0, show.exitCode(), show::toString);
    JsonNode shown = EventJson.mapper().readTree(show.out());
    assertEquals("local", shown.get("name").asText());
    assertEquals("contexts-it", shown.at("/settings/client.id").asText());
    assertEquals("********", shown.at("/settings/ssl.truststore.password").asText());
    assertEquals("http://reader:********@localhost:8081", shown.get("schemaRegistry").asText());
    assertFalse(show.out().contains("hunter2") || show.out().contains("s3cret"), show::toString);
  }

  @Test
  void useListAndRemoveKeepTheFileInStep() throws Exception {
    run(Map.of(), "context", "add", "one", "-b", "localhost:9092");
    run(Map.of(), "context", "add", "two", "-b", NOBODY);

    Run use = run(Map.of(), "context", "use", "two");
    Run listed = run(Map.of(), "context", "list", "-o", "json");
    Run removed = run(Map.of(), "context", "remove", "two");
    Run table = run(Map.of(), "context", "list");
    Run useMissing = run(Map.of(), "context", "use", "two");

    assertEquals(0, use.exitCode(), use::toString);
    JsonNode all = EventJson.mapper().readTree(listed.out());
    assertEquals(2, all.size(), listed::toString);
    assertEquals("two", all.get(1).get("name").asText());
    assertTrue(all.get(1).get("current").asBoolean(), listed::toString);
    assertFalse(all.get(0).get("current").asBoolean(), listed::toString);
    assertEquals(0, removed.exitCode(), removed::toString);
    assertTrue(removed.err().contains("no context is in use now"), removed::toString);
    assertTrue(table.out().contains("one"), table::toString);
    assertFalse(table.out().contains("two"), table::toString);
    assertEquals(4, useMissing.exitCode(), useMissing::toString);
  }

  /** The jar with {@code $XDG_CONFIG_HOME} in this test's directory, and these variables. */
  private Run run(Map<String, String> environment, String... args)
      throws IOException, InterruptedException {
    Map<String, String> env = new HashMap<>(environment);
    env.put("XDG_CONFIG_HOME", config.toString());
    env.put("KAFKA_DEMO_CONFIG", ""); // the build names a file of its own: not here
    env.putIfAbsent("KAFKA_DEMO_CONTEXT", "");
    try (JarProcess process = JarProcess.start(env, args)) {
      int exitCode = process.waitFor(60);
      return new Run(exitCode, process.out(), process.err());
    }
  }
}
