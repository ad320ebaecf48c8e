package dev.kafkademo.cli.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kafkademo.Defaults;
import dev.kafkademo.cli.CliException;
import dev.kafkademo.cli.ExitCodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class ConnectionOptionsTest {
  @TempDir Path dir;

  @Command
  static final class Client {
    @Mixin ConnectionOptions connection;
  }

  @Test
  void bootstrapServerFlagBeatsTheFileAndXBeatsBoth() throws IOException {
    Path file = dir.resolve("client.properties");
    Files.writeString(file, "bootstrap.servers=file:9092\nsecurity.protocol=SASL_SSL\n");

    assertEquals("file:9092", bootstrap(parse("--command-config", file.toString())));
    assertEquals(
        "flag:9092", bootstrap(parse("--command-config", file.toString(), "-b", "flag:9092")));
    assertEquals(
        "x:9092",
        bootstrap(
            parse(
                "--command-config",
                file.toString(),
                "-b",
                "flag:9092",
                "-X",
                "bootstrap.servers=x:9092")));
    assertEquals("SASL_SSL", parse("--command-config", file.toString()).get("security.protocol"));
  }

  @Test
  void withoutAnAddressItUsesTheEnvironmentThenLocalhost() {
    Map<String, String> environment = Map.of(Defaults.BOOTSTRAP_SERVERS_ENV, "from-env:9092");

    assertEquals("from-env:9092", bootstrap(parse(environment)));
    assertEquals(Defaults.BOOTSTRAP_SERVERS, bootstrap(parse(Map.of())));
    assertEquals(
        Defaults.BOOTSTRAP_SERVERS,
        bootstrap(parse(Map.of(Defaults.BOOTSTRAP_SERVERS_ENV, " "))),
        "a blank variable counts as unset");
    assertEquals("flag:9092", bootstrap(parse(environment, "-b", "flag:9092")));
  }

  @Test
  void timeoutDefaultsToTenSeconds() {
    Client client = new Client();
    new CommandLine(client).parseArgs();
    assertEquals(Duration.ofSeconds(10), client.connection.timeout());
  }

  @Test
  void aMissingCommandConfigIsAUsageErrorNamingTheFile() {
    CliException error =
        assertThrows(
            CliException.class,
            () -> parse("--command-config", dir.resolve("nope.properties").toString()));

    assertEquals(ExitCodes.USAGE, error.exitCode());
    assertTrue(error.getMessage().contains("nope.properties: no such file"), error.getMessage());
  }

  private static Properties parse(String... args) {
    return parse(Map.of(), args);
  }

  /** Parses the arguments with {@code environment} as the process environment. */
  private static Properties parse(Map<String, String> environment, String... args) {
    Client client = new Client();
    new CommandLine(client).parseArgs(args);
    client.connection.environment = environment::get;
    return client.connection.clientProperties(Map.of("client.id", "test"), Map.of());
  }

  private static String bootstrap(Properties props) {
    return props.getProperty("bootstrap.servers");
  }
}
