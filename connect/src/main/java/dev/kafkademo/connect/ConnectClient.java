package dev.kafkademo.connect;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kafkademo.rest.JsonRest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Kafka Connect's REST API, for the {@code connectors} command: what a person would otherwise ask
 * with curl. Answers are Connect's own JSON; failures are {@link ConnectException}s with Connect's
 * message.
 */
public final class ConnectClient {
  /** A refusal or no answer, with what to tell the user. */
  public static final class ConnectException extends RuntimeException {
    private final int status;

    ConnectException(int status, String message, Throwable cause) {
      super(message, cause);
      this.status = status;
    }

    /** Connect's HTTP status, or 0 when it did not answer. */
    public int status() {
      return status;
    }
  }

  /** One problem Connect's validation found in a setting. */
  public record Problem(String setting, String message) {}

  private final JsonRest rest;

  public ConnectClient(String url, Duration timeout) {
    this.rest = new JsonRest(url, null, timeout, "application/json");
  }

  public String url() {
    return rest.url();
  }

  /** The connectors' names. */
  public List<String> connectors() {
    List<String> names = new ArrayList<>();
    send("GET", "/connectors", null).forEach(name -> names.add(name.asText()));
    return names;
  }

  /** Name, type, config and tasks ({@code GET /connectors/NAME}). */
  public JsonNode info(String name) {
    return send("GET", "/connectors/" + JsonRest.segment(name), null);
  }

  /** The connector's and its tasks' states, workers and failure traces. */
  public JsonNode status(String name) {
    return send("GET", "/connectors/" + JsonRest.segment(name) + "/status", null);
  }

  /** The connector classes the workers have ({@code GET /connector-plugins}). */
  public JsonNode plugins() {
    return send("GET", "/connector-plugins", null);
  }

  /**
   * What Connect's validation says of {@code config}, per setting; empty when it is valid.
   *
   * @param config must name its {@code connector.class}
   */
  public List<Problem> validate(Map<String, String> config) {
    String connectorClass = config.get("connector.class");
    JsonNode answer =
        send(
            "PUT",
            "/connector-plugins/" + JsonRest.segment(connectorClass) + "/config/validate",
            JsonRest.JSON.valueToTree(config));
    List<Problem> problems = new ArrayList<>();
    for (JsonNode setting : answer.path("configs")) {
      for (JsonNode error : setting.path("value").path("errors")) {
        problems.add(new Problem(setting.path("value").path("name").asText(), error.asText()));
      }
    }
    return problems;
  }

  /** Creates the connector, or updates its config; true when it was created. */
  public boolean apply(String name, Map<String, String> config) {
    Map<String, String> named = new LinkedHashMap<>(config);
    named.put("name", name);
    JsonRest.Answer answer =
        call(
            "PUT",
            "/connectors/" + JsonRest.segment(name) + "/config",
            JsonRest.JSON.valueToTree(named));
    return answer.status() == 201;
  }

  public void delete(String name) {
    send("DELETE", "/connectors/" + JsonRest.segment(name), null);
  }

  public void restart(String name, boolean includeTasks, boolean onlyFailed) {
    send(
        "POST",
        "/connectors/"
            + JsonRest.segment(name)
            + "/restart?includeTasks="
            + includeTasks
            + "&onlyFailed="
            + onlyFailed,
        null);
  }

  public void pause(String name) {
    send("PUT", "/connectors/" + JsonRest.segment(name) + "/pause", null);
  }

  public void resume(String name) {
    send("PUT", "/connectors/" + JsonRest.segment(name) + "/resume", null);
  }

  private JsonNode send(String method, String path, JsonNode body) {
    return call(method, path, body).body();
  }

  private JsonRest.Answer call(String method, String path, JsonNode body) {
    JsonRest.Answer answer;
    try {
      answer = rest.send(method, path, body);
    } catch (JsonRest.NoAnswer e) {
      throw new ConnectException(0, "Kafka Connect at " + rest.url() + " " + e.getMessage(), e);
    }
    if (!answer.ok()) {
      throw new ConnectException(answer.status(), firstLine(answer.message()), null);
    }
    return answer;
  }

  /** Connect's messages can run to several lines (a list of errors); the first says what. */
  private static String firstLine(String message) {
    return message.lines().findFirst().orElse(message).strip();
  }
}
