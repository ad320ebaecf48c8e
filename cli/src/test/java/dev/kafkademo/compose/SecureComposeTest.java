package dev.kafkademo.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kafkademo.broker.TlsFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.secure.yml, read as the broker would take it over the base file: the host's
 * listener SASL_SSL with the files scripts/secure-compose.sh makes, the containers' unchanged.
 */
class SecureComposeTest {
  private static final String SECRETS = "/etc/kafka/secrets";
  private final ComposeFile base = ComposeFile.read("docker-compose.yml");
  private final ComposeFile secure = ComposeFile.read("docker-compose.secure.yml");

  @Test
  void theHostsListenerIsSaslSslAndTheContainersStaysPlaintext() {
    Map<String, String> protocols =
        parse(secure.env("kafka", "KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"));
    assertEquals(Map.of("INTERNAL", "PLAINTEXT", "EXTERNAL", "SASL_SSL"), protocols);
    // The override changes security only: the addresses are the base file's.
    Map<String, String> advertised =
        ComposeFile.listeners(base.env("kafka", "KAFKA_ADVERTISED_LISTENERS"));
    assertEquals("localhost:9092", advertised.get("EXTERNAL"));
    assertEquals("kafka:29092", advertised.get("INTERNAL"));
    assertTrue(secure.service("kafka").path("ports").isMissingNode(), "ports from the base file");
    assertEquals(
        "PLAIN", secure.env("kafka", "KAFKA_LISTENER_NAME_EXTERNAL_SASL_ENABLED_MECHANISMS"));
    // Containers connect as ANONYMOUS on INTERNAL: a super user, or the ACLs would lock them out.
    assertTrue(
        List.of(secure.env("kafka", "KAFKA_SUPER_USERS").split(";")).contains("User:ANONYMOUS"));
    assertEquals("true", secure.env("kafka", "KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND"));
  }

  @Test
  void theBrokerReadsTheFilesTheScriptMakesWhereTheyAreMounted() throws IOException {
    var volumes = secure.service("kafka").path("volumes");
    assertEquals(1, volumes.size(), volumes::toString);
    assertEquals("./secure:" + SECRETS + ":ro", volumes.get(0).asText());
    assertEquals(
        SECRETS + "/tls/" + TlsFiles.BROKER_KEYSTORE,
        secure.env("kafka", "KAFKA_LISTENER_NAME_EXTERNAL_SSL_KEYSTORE_LOCATION"));
    assertEquals(
        SECRETS + "/tls/" + TlsFiles.CA,
        secure.env("kafka", "KAFKA_LISTENER_NAME_EXTERNAL_SSL_TRUSTSTORE_LOCATION"));
    assertEquals("PEM", secure.env("kafka", "KAFKA_LISTENER_NAME_EXTERNAL_SSL_KEYSTORE_TYPE"));
    assertEquals(
        "-Djava.security.auth.login.config=" + SECRETS + "/kafka_server_jaas.conf",
        secure.env("kafka", "KAFKA_OPTS"));
    String script = Files.readString(Path.of("scripts", "secure-compose.sh"));
    assertTrue(script.contains("DIR=secure"), "the script writes ./secure by default");
    assertTrue(script.contains("--tls-dir \"$DIR/tls\""), "the certificates in secure/tls");
    assertTrue(script.contains("jaas=\"$DIR/kafka_server_jaas.conf\""), "the JAAS file");
    assertTrue(
        Files.readString(Path.of(".gitignore")).lines().anyMatch("secure/"::equals),
        "keys and passwords are not committed");
  }

  private static Map<String, String> parse(String protocolMap) {
    Map<String, String> protocols = new java.util.LinkedHashMap<>();
    for (String entry : protocolMap.split(",")) {
      String[] parts = entry.split(":");
      protocols.put(parts[0], parts[1]);
    }
    return protocols;
  }
}
