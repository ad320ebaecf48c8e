package dev.kafkademo.streams.query;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.kafkademo.events.EventJson;
import dev.kafkademo.events.EventType;
import dev.kafkademo.streams.CountsPerType;
import dev.kafkademo.streams.Results;
import dev.kafkademo.streams.RevenuePerUser;
import dev.kafkademo.streams.UserSessions;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlySessionStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Interactive queries over HTTP, on 127.0.0.1: the application's state stores, read where they are.
 * A key that another instance of the application owns is asked of that instance (its address is its
 * {@code application.server}); while a store is restored or moved the answer is 503 with
 * Retry-After. JSON through the project's mapper, the JDK's own HTTP server and client.
 *
 * <pre>
 * GET /health                          the application's state
 * GET /revenue/{userId}                totals per currency
 * GET /sessions/{userId}?from=&amp;to=     sessions, open ones included
 * GET /counts?type=&amp;from=&amp;to=          counts per type per window, open windows included
 * </pre>
 */
public final class QueryServer implements AutoCloseable {
  /** Marks a request one instance passed to another, which then answers from its own stores. */
  static final String FORWARDED = "X-Kafka-Demo-Forwarded";

  private final HttpServer server;
  private final KafkaStreams streams;
  private final HostInfo self;
  private final Duration windowSize;
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private QueryServer(HttpServer server, KafkaStreams streams, HostInfo self, Duration windowSize) {
    this.server = server;
    this.streams = streams;
    this.self = self;
    this.windowSize = windowSize;
  }

  /**
   * Listens on 127.0.0.1:{@code port}.
   *
   * @throws java.net.BindException when the port is taken
   */
  public static QueryServer start(KafkaStreams streams, int port, Duration windowSize)
      throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    QueryServer queries =
        new QueryServer(server, streams, new HostInfo("127.0.0.1", port), windowSize);
    server.createContext("/", queries::handle);
    server.setExecutor(Executors.newFixedThreadPool(2, daemon()));
    server.start();
    return queries;
  }

  /** This instance's address, as other instances reach it: {@code application.server}. */
  public static String applicationServer(int port) {
    return "127.0.0.1:" + port;
  }

  @Override
  public void close() {
    server.stop(0);
  }

  /** An answer: the status and the JSON body. */
  private record Answer(int status, Object body) {}

  private void handle(HttpExchange exchange) throws IOException {
    Answer answer;
    try {
      answer = answer(exchange);
    } catch (InvalidStateStoreException e) {
      answer = unavailable("the state store is not ready here: " + e.getMessage());
    } catch (IllegalArgumentException e) {
      answer = new Answer(400, Map.of("error", e.getMessage()));
    } catch (RuntimeException e) {
      answer =
          new Answer(500, Map.of("error", e.getClass().getSimpleName() + ": " + e.getMessage()));
    }
    byte[] body = json(answer.body());
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    if (answer.status() == 503) {
      exchange.getResponseHeaders().set("Retry-After", "1");
    }
    exchange.sendResponseHeaders(answer.status(), body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private Answer answer(HttpExchange exchange) {
    if (!"GET".equals(exchange.getRequestMethod())) {
      return new Answer(405, Map.of("error", "only GET"));
    }
    String path = exchange.getRequestURI().getPath();
    Map<String, String> query = query(exchange.getRequestURI());
    boolean forwarded = exchange.getRequestHeaders().containsKey(FORWARDED);
    if (path.equals("/health")) {
      KafkaStreams.State state = streams.state();
      Map<String, Object> health = new LinkedHashMap<>();
      health.put("state", state.toString());
      health.put("instance", self.host() + ":" + self.port());
      return new Answer(state == KafkaStreams.State.RUNNING ? 200 : 503, health);
    }
    if (streams.state() != KafkaStreams.State.RUNNING) {
      return unavailable("the application is " + streams.state() + ", not RUNNING yet");
    }
    if (path.startsWith("/revenue/")) {
      String user = decode(path.substring("/revenue/".length()));
      return byOwner(RevenuePerUser.STORE, user, exchange, forwarded, () -> revenue(user));
    }
    if (path.startsWith("/sessions/")) {
      String user = decode(path.substring("/sessions/".length()));
      Instant from = instant(query, "from", Instant.EPOCH);
      Instant to = instant(query, "to", Instant.now().plus(Duration.ofDays(3650)));
      return byOwner(UserSessions.STORE, user, exchange, forwarded, () -> sessions(user, from, to));
    }
    if (path.equals("/counts")) {
      Instant from = instant(query, "from", Instant.EPOCH);
      Instant to = instant(query, "to", Instant.now().plus(Duration.ofDays(3650)));
      String type = query.get("type");
      if (type != null) {
        if (EventType.fromJsonName(type).isEmpty()) {
          throw new IllegalArgumentException(
              "type '" + type + "' is not one of " + EventType.jsonNames());
        }
        return byOwner(
            CountsPerType.STORE, type, exchange, forwarded, () -> counts(type, from, to));
      }
      return allCounts(from, to);
    }
    return new Answer(404, Map.of("error", "no such resource: " + path));
  }

  /** Answers from here if this instance owns {@code key}, else asks the one that does. */
  private Answer byOwner(
      String store,
      String key,
      HttpExchange exchange,
      boolean forwarded,
      java.util.function.Supplier<Answer> local) {
    KeyQueryMetadata owner = streams.queryMetadataForKey(store, key, Serdes.String().serializer());
    if (owner == null || owner.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
      return unavailable("the partition of " + key + " has no owner yet (a rebalance is running)");
    }
    if (isLocal(owner)) {
      return local.get();
    }
    if (forwarded) {
      return unavailable("the partition of " + key + " is moving between instances");
    }
    return ask(owner.activeHost(), exchange.getRequestURI());
  }

  /** This instance owns the key (or runs without application.server, alone). */
  private boolean isLocal(KeyQueryMetadata owner) {
    return owner.activeHost().equals(self) || owner.activeHost().port() == -1;
  }

  private Answer ask(HostInfo owner, URI uri) {
    URI there =
        URI.create(
            "http://"
                + owner.host()
                + ":"
                + owner.port()
                + uri.getRawPath()
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
    try {
      HttpResponse<String> response =
          client.send(
              HttpRequest.newBuilder(there)
                  .header(FORWARDED, "1")
                  .timeout(Duration.ofSeconds(5))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return new Answer(response.statusCode(), EventJson.mapper().readTree(response.body()));
    } catch (IOException e) {
      return unavailable(
          "the instance at " + owner.host() + ":" + owner.port() + " did not answer");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return unavailable("interrupted");
    }
  }

  private Answer revenue(String user) {
    ReadOnlyKeyValueStore<String, RevenuePerUser.Totals> store =
        streams.store(
            StoreQueryParameters.fromNameAndType(
                RevenuePerUser.STORE,
                QueryableStoreTypes.<String, RevenuePerUser.Totals>keyValueStore()));
    RevenuePerUser.Totals totals = store.get(user);
    if (totals == null) {
      return new Answer(404, Map.of("error", "no purchases by " + user));
    }
    List<Results.Revenue> revenue = new ArrayList<>();
    totals.byCurrency().keySet().forEach(currency -> revenue.add(totals.revenue(user, currency)));
    return new Answer(200, Map.of("userId", user, "revenue", revenue));
  }

  private Answer sessions(String user, Instant from, Instant to) {
    ReadOnlySessionStore<String, UserSessions.Stats> store =
        streams.store(
            StoreQueryParameters.fromNameAndType(
                UserSessions.STORE,
                QueryableStoreTypes.<String, UserSessions.Stats>sessionStore()));
    List<Results.Session> sessions = new ArrayList<>();
    try (KeyValueIterator<Windowed<String>, UserSessions.Stats> found =
        store.findSessions(user, from.toEpochMilli(), to.toEpochMilli())) {
      found.forEachRemaining(
          session ->
              sessions.add(
                  session.value.session(
                      user,
                      session.key.window().startTime().toString(),
                      session.key.window().endTime().toString())));
    }
    ReadOnlyKeyValueStore<String, List<UserSessions.Open>> openStore =
        streams.store(
            StoreQueryParameters.fromNameAndType(
                UserSessions.OPEN_STORE,
                QueryableStoreTypes.<String, List<UserSessions.Open>>keyValueStore()));
    List<UserSessions.Open> open = openStore.get(user);
    if (open != null) {
      open.stream()
          .filter(session -> session.end() >= from.toEpochMilli())
          .filter(session -> session.start() <= to.toEpochMilli())
          .forEach(session -> sessions.add(session.session(user)));
    }
    if (sessions.isEmpty()) {
      return new Answer(404, Map.of("error", "no sessions of " + user + " in that time"));
    }
    return new Answer(200, Map.of("userId", user, "sessions", sessions));
  }

  private Answer counts(String type, Instant from, Instant to) {
    ReadOnlyWindowStore<String, Long> store =
        streams.store(
            StoreQueryParameters.fromNameAndType(
                CountsPerType.STORE, QueryableStoreTypes.<String, Long>windowStore()));
    List<Results.WindowCount> counts = new ArrayList<>();
    try (WindowStoreIterator<Long> found = store.fetch(type, from, to)) {
      while (found.hasNext()) {
        KeyValue<Long, Long> window = found.next();
        Instant start = Instant.ofEpochMilli(window.key);
        counts.add(
            new Results.WindowCount(
                start.toString(), start.plus(windowSize).toString(), type, window.value));
      }
    }
    return new Answer(200, Map.of("counts", counts));
  }

  /** Every type's counts, each from the instance that owns it. */
  private Answer allCounts(Instant from, Instant to) {
    List<com.fasterxml.jackson.databind.JsonNode> counts = new ArrayList<>();
    for (EventType type : EventType.values()) {
      URI uri = URI.create("/counts?type=" + type.jsonName() + "&from=" + from + "&to=" + to);
      KeyQueryMetadata owner =
          streams.queryMetadataForKey(
              CountsPerType.STORE, type.jsonName(), Serdes.String().serializer());
      Answer answer =
          owner.equals(KeyQueryMetadata.NOT_AVAILABLE)
              ? unavailable("the partition of " + type + " has no owner yet")
              : isLocal(owner) ? counts(type.jsonName(), from, to) : ask(owner.activeHost(), uri);
      if (answer.status() != 200) {
        return answer;
      }
      EventJson.mapper().valueToTree(answer.body()).get("counts").forEach(counts::add);
    }
    return new Answer(200, Map.of("counts", counts));
  }

  private static Answer unavailable(String reason) {
    return new Answer(503, Map.of("error", reason));
  }

  private static Map<String, String> query(URI uri) {
    Map<String, String> query = new HashMap<>();
    if (uri.getRawQuery() != null) {
      for (String pair : uri.getRawQuery().split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          query.put(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
        }
      }
    }
    return query;
  }

  private static String decode(String text) {
    return URLDecoder.decode(text, StandardCharsets.UTF_8);
  }

  private static Instant instant(Map<String, String> query, String name, Instant otherwise) {
    String value = query.get(name);
    if (value == null || value.isEmpty()) {
      return otherwise;
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          name + " '" + value + "' is not an ISO-8601 UTC time like 2026-11-30T12:00:00Z");
    }
  }

  private static byte[] json(Object body) {
    try {
      return EventJson.mapper().writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      return ("{\"error\":\"cannot write the answer\"}").getBytes(StandardCharsets.UTF_8);
    }
  }

  private static java.util.concurrent.ThreadFactory daemon() {
    return task -> {
      Thread thread = new Thread(task, "kafka-demo-queries");
      thread.setDaemon(true);
      return thread;
    };
  }
}
