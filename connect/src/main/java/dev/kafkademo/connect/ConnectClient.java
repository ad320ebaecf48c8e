package dev.kafkademo.connect;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kafkademo.rest.Backoff;
import dev.kafkademo.rest.JsonRest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Kafka Connect's REST API, for the {@code connectors} command: what a person would otherwise ask
 * with curl, as typed answers. Failures are {@link ConnectException}s with Connect's message. A 409
 * (the workers are rebalancing, or a config changed under the request) is asked again, for up to
 * the client's timeout, as Connect's own docs advise: such a request was not carried out.
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

  /** A connector or task's state ({@code RUNNING}, {@code FAILED}...), its worker and trace. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record State(
      Integer id,
      String state,
      @JsonProperty("worker_id") String workerId,
      String trace,
      String version) {
    public boolean failed() {
      return "FAILED".equals(state);
    }

    /** The failure in one line ({@link Traces#summary}); null when there is no trace. */
    public String failure() {
      return trace == null ? null : Traces.summary(trace);
    }
  }

  /** {@code GET /connectors/NAME/status}. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Status(String name, State connector, List<State> tasks, String type) {
    public Status {
      tasks = tasks == null ? List.of() : List.copyOf(tasks);
    }
  }

  /** {@code GET /connectors/NAME}: the connector's type and config. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Info(String name, String type, Map<String, String> config) {
    public Info {
      config = config == null ? Map.of() : config;
    }
  }

  /** A connector class a worker has ({@code GET /connector-plugins}). */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Plugin(@JsonProperty("class") String className, String type, String version) {}

  private static final ObjectMapper JSON = JsonRest.JSON;

  /** The first wait after a 409; see {@link Backoff}. */
  private static final Duration FIRST_PAUSE = Duration.ofMillis(250);

  private final JsonRest rest;
  private final Duration timeout;

  public ConnectClient(String url, Duration timeout) {
    this.rest = new JsonRest(url, null, timeout, "application/json");
    this.timeout = timeout;
  }

  public String url() {
    return rest.url();
  }

  /** Every connector's status, in one request ({@code GET /connectors?expand=status}). */
  public List<Status> statuses() {
    JsonNode answer = send("GET", "/connectors?expand=status", null);
    List<Status> statuses = new ArrayList<>();
    answer
        .fields()
        .forEachRemaining(
            entry -> {
              Status status = read(entry.getValue().path("status"), Status.class);
              statuses.add(
                  new Status(entry.getKey(), status.connector(), status.tasks(), status.type()));
            });
    statuses.sort((a, b) -> a.name().compareTo(b.name()));
    return statuses;
  }

  public Info info(String name) {
    return read(send("GET", "/connectors/" + JsonRest.segment(name), null), Info.class);
  }

  /**
   * The connector's and its tasks' states, workers and failure traces. Right after it is created,
   * Connect has its config but no status until a worker starts it ("No status found for
   * connector"): asked again within the timeout, as a rebalance is.
   */
  public Status status(String name) {
    Backoff backoff = new Backoff(FIRST_PAUSE, timeout);
    while (true) {
      try {
        return read(
            send("GET", "/connectors/" + JsonRest.segment(name) + "/status", null), Status.class);
      } catch (ConnectException e) {
        if (e.status() != 404
            || !e.getMessage().startsWith("No status found for connector")
            || !pause(backoff)) {
          throw e;
        }
      }
    }
  }

  public List<Plugin> plugins() {
    List<Plugin> plugins = new ArrayList<>();
    send("GET", "/connector-plugins", null).forEach(p -> plugins.add(read(p, Plugin.class)));
    return plugins;
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
            JSON.valueToTree(config));
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
        call("PUT", "/connectors/" + JsonRest.segment(name) + "/config", JSON.valueToTree(named));
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
    Backoff backoff = new Backoff(FIRST_PAUSE, timeout);
    while (true) {
      JsonRest.Answer answer;
      try {
        answer = rest.send(method, path, body);
      } catch (JsonRest.NoAnswer e) {
        throw new ConnectException(0, "Kafka Connect at " + rest.url() + " " + e.getMessage(), e);
      }
      if (answer.status() == 409 && pause(backoff)) {
        continue;
      }
      if (!answer.ok()) {
        throw new ConnectException(answer.status(), firstLine(answer.message()), null);
      }
      return answer;
    }
  }

  private static boolean pause(Backoff backoff) {
    try {
      return backoff.pause();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConnectException(0, "Interrupted while Kafka Connect was rebalancing", e);
    }
  }

  private <T> T read(JsonNode node, Class<T> type) {
    try {
      return JSON.treeToValue(node, type);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new ConnectException(
          200, "Kafka Connect at " + rest.url() + " sent what is not a " + type.getSimpleName(), e);
    }
  }

  /** Connect's messages can run to several lines (a list of errors); the first says what. */
  private static String firstLine(String message) {
    return message.lines().findFirst().orElse(message).strip();
  }
}
