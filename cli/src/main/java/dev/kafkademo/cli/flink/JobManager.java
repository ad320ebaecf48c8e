package dev.kafkademo.cli.flink;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kafkademo.cli.CliException;
import dev.kafkademo.cli.ExitCodes;
import dev.kafkademo.rest.JsonRest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A Flink JobManager's REST API (the port of its dashboard), for what the sql command asks of a
 * session cluster before and after it submits a job: its Flink version, its jobs, a cancel, why a
 * job failed. Flink's own client does the submitting; it retries an address that does not answer
 * for a minute, so the address is asked here first, with the command's timeout. What goes wrong is
 * a {@link CliException} that says what to check.
 */
public final class JobManager {
  private static final Pattern ADDRESS = Pattern.compile("[^\\s:/]+:\\d{1,5}");
  private static final Pattern JOB_ID = Pattern.compile("[0-9a-f]{32}");

  /** One job of the cluster, as its overview lists it. */
  public record Job(String id, String name, String state, long startTime, long durationMillis) {}

  private final String address;
  private final JsonRest rest;
  private final Duration timeout;

  /**
   * @param address {@code HOST:PORT} of the REST API
   * @throws IllegalArgumentException when it is not HOST:PORT
   */
  public JobManager(String address, Duration timeout) {
    if (address == null || !ADDRESS.matcher(address.strip()).matches()) {
      throw new IllegalArgumentException(
          "expected HOST:PORT of the JobManager's REST API (127.0.0.1:8082), got '"
              + address
              + "'");
    }
    this.address = address.strip();
    this.rest = new JsonRest("http://" + this.address, null, timeout, "application/json");
    this.timeout = timeout;
  }

  public String host() {
    return address.substring(0, address.lastIndexOf(':'));
  }

  public int port() {
    return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
  }

  public String address() {
    return address;
  }

  /** The cluster's Flink version ({@code GET /config}). */
  public String version() {
    return get("/config").path("flink-version").asText("unknown");
  }

  /** Every job the cluster knows, newest first ({@code GET /jobs/overview}). */
  public List<Job> jobs() {
    List<Job> jobs = new ArrayList<>();
    for (JsonNode job : get("/jobs/overview").path("jobs")) {
      jobs.add(
          new Job(
              job.path("jid").asText(),
              job.path("name").asText(),
              job.path("state").asText(),
              job.path("start-time").asLong(),
              job.path("duration").asLong()));
    }
    jobs.sort(Comparator.comparingLong(Job::startTime).reversed());
    return jobs;
  }

  /**
   * The job's state now, or null when the cluster has no such job. {@code GET /jobs/ID/status},
   * which asks the JobManager; {@code /jobs/ID} answers from a cache that can be seconds old.
   */
  public String state(String jobId) {
    String path = "/jobs/" + checkedId(jobId) + "/status";
    JsonRest.Answer answer = send("GET", path);
    if (answer.status() == 404 || answer.body().toString().contains("FlinkJobNotFoundException")) {
      return null;
    }
    if (!answer.ok()) {
      throw refused(path, answer);
    }
    return answer.body().path("status").asText();
  }

  /** Asks the cluster to cancel a job ({@code PATCH /jobs/ID?mode=cancel}). */
  public void cancel(String jobId) {
    JsonRest.Answer answer = patch("/jobs/" + checkedId(jobId) + "?mode=cancel");
    if (answer.status() == 404) {
      throw noSuchJob(jobId);
    }
    if (answer.status() == 409) {
      throw new CliException(
          "Job " + jobId + " has ended already: it is " + state(jobId), ExitCodes.FAILURE, null);
    }
    if (!answer.ok()) {
      throw new CliException(
          "The JobManager at " + address + " did not cancel job " + jobId + ": " + errors(answer),
          ExitCodes.FAILURE,
          null);
    }
  }

  /** The cluster does not know the job (exit 4). */
  public CliException noSuchJob(String jobId) {
    return new CliException(
        "The cluster at " + address + " has no job " + jobId + ": sql jobs lists the ones it has",
        ExitCodes.NOT_FOUND,
        null);
  }

  /**
   * Why the job failed, from its exception history ({@code GET /jobs/ID/exceptions}): the root
   * cause (the last "Caused by" of the first failure's trace) in a line; null if none is recorded.
   */
  public String rootCause(String jobId) {
    JsonNode entries = get("/jobs/" + checkedId(jobId) + "/exceptions").path("exceptionHistory");
    JsonNode first = entries.path("entries").path(0);
    if (first.isMissingNode()) {
      return null;
    }
    return rootCauseOf(first.path("stacktrace").asText(first.path("exceptionName").asText()));
  }

  /** The last {@code Caused by:} of a Java stack trace, without the words "Caused by". */
  static String rootCauseOf(String trace) {
    String root = trace.strip().lines().findFirst().orElse("");
    for (String line : (Iterable<String>) trace.lines()::iterator) {
      if (line.startsWith("Caused by: ")) {
        root = line.substring("Caused by: ".length());
      }
    }
    return root.strip();
  }

  /**
   * A root cause as a person reads it: {@code TimeoutException: ...} rather than the class's full
   * name; a record that is not an event says so itself.
   */
  public static String withoutPackage(String cause) {
    java.util.regex.Matcher named =
        Pattern.compile("^(?:[a-z_$][\\w$]*\\.)+([A-Z][\\w$]*)(: )?").matcher(cause);
    if (!named.find()) {
      return cause;
    }
    String rest = cause.substring(named.end());
    return named.group(1).equals("UnreadableRecordException") && !rest.isEmpty()
        ? rest
        : named.group(1) + (named.group(2) == null ? "" : ": ") + rest;
  }

  private static String checkedId(String jobId) {
    if (jobId == null || !JOB_ID.matcher(jobId).matches()) {
      throw new IllegalArgumentException(
          "a Flink job id is 32 hex digits (sql jobs lists them), got '" + jobId + "'");
    }
    return jobId;
  }

  private JsonNode get(String path) {
    JsonRest.Answer answer = send("GET", path);
    if (!answer.ok()) {
      throw refused(path, answer);
    }
    return answer.body();
  }

  private CliException refused(String path, JsonRest.Answer answer) {
    return new CliException(
        "The JobManager at " + address + " answered " + path + " with " + errors(answer),
        ExitCodes.FAILURE,
        null);
  }

  private JsonRest.Answer send(String method, String path) {
    try {
      return rest.send(method, path, null);
    } catch (JsonRest.NoAnswer e) {
      throw new CliException(
          "The Flink JobManager at "
              + address
              + " "
              + e.getMessage().replace("check the URL", "check --jobmanager")
              + "; scripts/flink-cluster.sh start runs one",
          ExitCodes.FAILURE,
          e);
    }
  }

  /** A PATCH, which HttpURLConnection cannot send: java.net.http's client, for this one request. */
  private JsonRest.Answer patch(String path) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://" + address + path))
            .method("PATCH", HttpRequest.BodyPublishers.noBody())
            .timeout(timeout)
            .build();
    HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      JsonNode body =
          response.body().isBlank()
              ? JsonRest.JSON.createObjectNode()
              : JsonRest.JSON.readTree(response.body());
      return new JsonRest.Answer(response.statusCode(), body);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("Interrupted while cancelling", ExitCodes.INTERRUPTED, e);
    } catch (IOException e) {
      // the REST API answered a GET a moment ago: say what this one met
      throw new CliException(
          "The Flink JobManager at " + address + " could not be asked to cancel: " + e,
          ExitCodes.FAILURE,
          e);
    }
  }

  private static String errors(JsonRest.Answer answer) {
    JsonNode errors = answer.body().path("errors");
    return "HTTP "
        + answer.status()
        + (errors.isArray() && !errors.isEmpty()
            ? ": " + errors.get(0).asText().strip().lines().findFirst().orElse("")
            : "");
  }

  /** Whether a client of Flink {@code ours} can submit to a cluster of Flink {@code theirs}. */
  public static boolean compatible(String ours, String theirs) {
    return minor(ours).equals(minor(theirs));
  }

  private static String minor(String version) {
    String[] parts = version.split("\\.");
    return parts.length >= 2 ? parts[0] + "." + parts[1] : version;
  }
}
