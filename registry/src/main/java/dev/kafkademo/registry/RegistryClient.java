package dev.kafkademo.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kafkademo.rest.Backoff;
import dev.kafkademo.rest.JsonRest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A client for the Confluent Schema Registry API, which Confluent's registry and Apicurio's ({@code
 * /apis/ccompat/v7}) both serve: register and look up schemas, fetch them by id (cached: an id
 * never changes its schema), list subjects and versions, test and set compatibility.
 *
 * <p>Written here because Confluent's client is not on Maven Central; it is a few JSON calls.
 */
public final class RegistryClient {
  /** How long a request is tried again while the registry is away. */
  /** The first wait after no answer or a 5xx; see {@link Backoff}. */
  private static final Duration FIRST_PAUSE = Duration.ofMillis(100);

  private final Duration retryFor;

  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final ObjectMapper JSON = JsonRest.JSON;

  /** A schema as registered under a subject. */
  public record Version(String subject, int version, int id, String schema) {}

  /** The registry's verdict on a schema against a subject's latest version. */
  public record Compatibility(boolean compatible, List<String> messages) {}

  private final JsonRest rest;
  private final Map<Integer, String> schemasById = new ConcurrentHashMap<>();

  /**
   * @param url the registry's address, e.g. {@code http://localhost:8081} or Apicurio's {@code
   *     http://localhost:8081/apis/ccompat/v7}
   * @param userInfo {@code USER:PASSWORD} for HTTP basic authentication, or null; never printed
   */
  public RegistryClient(String url, String userInfo, Duration timeout) {
    this.rest = new JsonRest(url, userInfo, timeout, CONTENT_TYPE);
    this.retryFor = timeout;
  }

  /** The address without credentials, for messages. */
  public String url() {
    return rest.url();
  }

  /** Registers {@code schema} under {@code subject} (or finds it there); returns its id. */
  public int register(String subject, String schema) {
    JsonNode answer =
        send("POST", "/subjects/" + JsonRest.segment(subject) + "/versions", schemaBody(schema));
    return answer.path("id").asInt();
  }

  /** The id and version of {@code schema} under {@code subject}, if it is registered there. */
  public Optional<Version> lookup(String subject, String schema) {
    try {
      JsonNode answer = send("POST", "/subjects/" + JsonRest.segment(subject), schemaBody(schema));
      return Optional.of(version(answer));
    } catch (RegistryException e) {
      if (e.kind() == RegistryException.Kind.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** The schema with this id; asked once, then remembered. */
  public String schema(int id) {
    String known = schemasById.get(id);
    if (known != null) {
      return known;
    }
    String schema = send("GET", "/schemas/ids/" + id, null).path("schema").asText();
    schemasById.put(id, schema);
    return schema;
  }

  /** The id of a subject's latest version; its schema is remembered like one fetched by id. */
  public int latestId(String subject) {
    Version latest = version(subject, "latest");
    schemasById.putIfAbsent(latest.id(), latest.schema());
    return latest.id();
  }

  public List<String> subjects() {
    List<String> subjects = new ArrayList<>();
    send("GET", "/subjects", null).forEach(subject -> subjects.add(subject.asText()));
    return subjects;
  }

  public List<Integer> versions(String subject) {
    List<Integer> versions = new ArrayList<>();
    send("GET", "/subjects/" + JsonRest.segment(subject) + "/versions", null)
        .forEach(version -> versions.add(version.asInt()));
    return versions;
  }

  /**
   * @param version a version number or {@code latest}
   */
  public Version version(String subject, String version) {
    return version(
        send(
            "GET",
            "/subjects/" + JsonRest.segment(subject) + "/versions/" + JsonRest.segment(version),
            null));
  }

  /** Whether {@code schema} could be registered under {@code subject}, without registering it. */
  public Compatibility compatibility(String subject, String schema) {
    JsonNode answer =
        send(
            "POST",
            "/compatibility/subjects/"
                + JsonRest.segment(subject)
                + "/versions/latest?verbose=true",
            schemaBody(schema));
    List<String> messages = new ArrayList<>();
    answer.path("messages").forEach(message -> messages.add(message.asText()));
    return new Compatibility(answer.path("is_compatible").asBoolean(), messages);
  }

  /** The compatibility rule of {@code subject}, or the global one when subject is null. */
  public String compatibilityLevel(String subject) {
    try {
      JsonNode answer = send("GET", configPath(subject), null);
      return answer.path("compatibilityLevel").asText(answer.path("compatibility").asText());
    } catch (RegistryException e) {
      if (subject != null && e.kind() == RegistryException.Kind.NOT_FOUND) {
        return compatibilityLevel(null); // no rule of its own: the global one applies
      }
      throw e;
    }
  }

  /** Sets the compatibility rule of {@code subject}, or the global one; returns the rule set. */
  public String setCompatibilityLevel(String subject, String level) {
    ObjectNode body = JSON.createObjectNode().put("compatibility", level);
    return send("PUT", configPath(subject), body).path("compatibility").asText(level);
  }

  /** Deletes {@code subject} and all its versions; returns the versions deleted. */
  public List<Integer> delete(String subject) {
    List<Integer> versions = new ArrayList<>();
    send("DELETE", "/subjects/" + JsonRest.segment(subject), null)
        .forEach(version -> versions.add(version.asInt()));
    return versions;
  }

  private static String configPath(String subject) {
    return subject == null ? "/config" : "/config/" + JsonRest.segment(subject);
  }

  private static Version version(JsonNode answer) {
    return new Version(
        answer.path("subject").asText(),
        answer.path("version").asInt(),
        answer.path("id").asInt(),
        answer.path("schema").asText());
  }

  private static ObjectNode schemaBody(String schema) {
    return JSON.createObjectNode().put("schema", schema);
  }

  /**
   * One request, tried again while the registry is away (no answer, or HTTP 5xx: restarting,
   * overloaded), with a growing pause, for as long as the client's timeout: a registry that is back
   * within that loses nothing. Every other answer is final at once.
   */
  private JsonNode send(String method, String path, JsonNode body) {
    Backoff backoff = new Backoff(FIRST_PAUSE, retryFor);
    while (true) {
      try {
        return sendOnce(method, path, body);
      } catch (RegistryException e) {
        if (e.kind() != RegistryException.Kind.UNREACHABLE || !pause(backoff)) {
          throw e;
        }
      }
    }
  }

  private boolean pause(Backoff backoff) {
    try {
      return backoff.pause();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryException(
          RegistryException.Kind.UNREACHABLE, "interrupted while asking " + rest.url(), e);
    }
  }

  private JsonNode sendOnce(String method, String path, JsonNode body) {
    JsonRest.Answer answer;
    try {
      answer = rest.send(method, path, body);
    } catch (JsonRest.NoAnswer e) {
      throw new RegistryException(
          RegistryException.Kind.UNREACHABLE,
          "schema registry " + rest.url() + " " + e.getMessage(),
          e);
    }
    if (answer.ok()) {
      return answer.body();
    }
    throw refused(answer.status(), answer.body(), path);
  }

  private RegistryException refused(int status, JsonNode answer, String path) {
    // Apicurio puts its exception's class name first: the reason is what follows.
    String message =
        answer.path("message").asText("HTTP " + status).replaceFirst("^[\\w.$]+Exception: ", "");
    if (status == 404 && !answer.has("error_code")) {
      // A registry says what it did not find (error_code 40401, 40403, ...); a bare 404 is a
      // server without the registry's API at this path: the address is what is wrong.
      return new RegistryException(
          RegistryException.Kind.OTHER,
          "no schema registry API at "
              + rest.url()
              + " (HTTP 404 for "
              + path.replaceFirst("\\?.*", "")
              + ")"
              + (rest.url().contains("/apis/ccompat/")
                  ? ""
                  : ": Apicurio serves Confluent's API under /apis/ccompat/v7, try "
                      + rest.url()
                      + "/apis/ccompat/v7"),
          null);
    }
    RegistryException.Kind kind =
        switch (status) {
          case 401, 403 -> RegistryException.Kind.UNAUTHORIZED;
          case 404 -> RegistryException.Kind.NOT_FOUND;
          case 409 -> RegistryException.Kind.INCOMPATIBLE;
          case 422 -> RegistryException.Kind.INVALID;
          default ->
              status / 100 == 5 // restarting, overloaded: away for a moment, as without answer
                  ? RegistryException.Kind.UNREACHABLE
                  : RegistryException.Kind.OTHER;
        };
    if (kind == RegistryException.Kind.UNAUTHORIZED) {
      message = "schema registry " + rest.url() + " refused the credentials (HTTP " + status + ")";
    } else if (status / 100 == 5 || kind == RegistryException.Kind.OTHER) {
      message = "schema registry " + rest.url() + " answered HTTP " + status + ": " + message;
    }
    return new RegistryException(kind, message, null);
  }
}
