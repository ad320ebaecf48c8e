package dev.kafkademo.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kafkademo.rest.HttpStub;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The schema registry client against an in-process server answering as a registry does. */
class RegistryClientTest {
  private static final String SCHEMA = "{\"type\":\"string\"}";

  @Test
  void aRegistryThatIsAwayForAMomentIsAskedAgain() throws Exception {
    try (HttpStub registry = new HttpStub()) {
      registry
          .answer(503, "{\"message\":\"restarting\"}")
          .answer(500, "{\"message\":\"overloaded\"}")
          .answer(200, "{\"id\":7}");
      int id =
          new RegistryClient(registry.url(), null, Duration.ofSeconds(10)).register("s", SCHEMA);

      assertEquals(7, id);
      assertEquals(3, registry.requests().size());
      assertEquals("/subjects/s/versions", registry.requests().get(2).pathAndQuery());
    }
  }

  @Test
  void aRegistryAwayLongerThanTheTimeoutIsUnreachableNotBadData() throws Exception {
    try (HttpStub registry = new HttpStub()) {
      registry.answer(503, "{\"message\":\"restarting\"}");
      RegistryClient client = new RegistryClient(registry.url(), null, Duration.ofMillis(500));

      RegistryException away = assertThrows(RegistryException.class, () -> client.schema(1));
      assertEquals(RegistryException.Kind.UNREACHABLE, away.kind());
      assertEquals(
          "schema registry " + registry.url() + " answered HTTP 503: restarting",
          away.getMessage());
    }
  }

  @Test
  void aRegistryThatDoesNotAnswerTimesOutAsUnreachable() throws Exception {
    try (HttpStub registry = new HttpStub()) {
      registry.silence(Duration.ofSeconds(5));
      RegistryClient client = new RegistryClient(registry.url(), null, Duration.ofMillis(300));

      RegistryException silent = assertThrows(RegistryException.class, () -> client.schema(1));
      assertEquals(RegistryException.Kind.UNREACHABLE, silent.kind());
      assertEquals(
          "schema registry " + registry.url() + " did not answer within 300ms",
          silent.getMessage());
    }
  }

  @Test
  void anUnknownIdIsNotFoundAndNotAskedAgain() throws Exception {
    try (HttpStub registry = new HttpStub()) {
      registry.answer(404, "{\"error_code\":40403,\"message\":\"Schema 9 not found\"}");
      RegistryClient client = new RegistryClient(registry.url(), null, Duration.ofSeconds(10));

      RegistryException missing = assertThrows(RegistryException.class, () -> client.schema(9));
      assertEquals(RegistryException.Kind.NOT_FOUND, missing.kind());
      assertEquals("Schema 9 not found", missing.getMessage());
      assertEquals(1, registry.requests().size());
    }
  }

  @Test
  void aBare404SaysTheAddressIsWrongAndWhereTheApiIs() throws Exception {
    try (HttpStub server = new HttpStub()) {
      server.answer(404, "");
      RegistryClient client = new RegistryClient(server.url(), null, Duration.ofSeconds(5));

      RegistryException wrong = assertThrows(RegistryException.class, () -> client.schema(1));
      assertEquals(RegistryException.Kind.OTHER, wrong.kind());
      assertEquals(
          "no schema registry API at "
              + server.url()
              + " (HTTP 404 for /schemas/ids/1): Apicurio serves Confluent's API under"
              + " /apis/ccompat/v7, try "
              + server.url()
              + "/apis/ccompat/v7",
          wrong.getMessage());
    }
  }

  @Test
  void aSchemaNotUnderTheSubjectIsEmptyAndRefusedCredentialsSaySo() throws Exception {
    try (HttpStub registry = new HttpStub()) {
      registry
          .answer(404, "{\"error_code\":40403,\"message\":\"Schema not found\"}")
          .answer(401, "{\"message\":\"Unauthorized\"}");
      RegistryClient client =
          new RegistryClient(registry.url(), "demo:s3cret", Duration.ofSeconds(5));

      assertEquals(Optional.empty(), client.lookup("s", SCHEMA));
      RegistryException refused =
          assertThrows(RegistryException.class, () -> client.register("s", SCHEMA));
      assertEquals(RegistryException.Kind.UNAUTHORIZED, refused.kind());
      assertEquals(
          "schema registry " + registry.url() + " refused the credentials (HTTP 401)",
          refused.getMessage());
      assertTrue(!refused.getMessage().contains("s3cret"));
    }
  }

  @Test
  void aSchemaIsAskedForOnceByItsId() throws Exception {
    try (HttpStub registry = new HttpStub()) {
      registry.answer(200, "{\"schema\":" + JSON_STRING + "}");
      RegistryClient client = new RegistryClient(registry.url(), null, Duration.ofSeconds(5));

      assertEquals(SCHEMA, client.schema(3));
      assertEquals(SCHEMA, client.schema(3));
      assertEquals(1, registry.requests().size());
    }
  }

  private static final String JSON_STRING = "\"{\\\"type\\\":\\\"string\\\"}\"";
}
