package dev.kafkademo.rest;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A small HTTP server for the REST clients' tests: answers requests with the answers it was given,
 * in order (the last one again once they run out), and keeps what it was asked. The JDK's own
 * server, on 127.0.0.1 and a free port.
 */
public final class HttpStub implements AutoCloseable {
  /** One request as the server saw it. */
  public record Request(String method, String pathAndQuery, String body) {}

  private record Answer(int status, String body, Duration delay) {}

  private final HttpServer server;
  private final Deque<Answer> answers = new ArrayDeque<>();
  private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
  private final CountDownLatch closed = new CountDownLatch(1);
  private Answer last = new Answer(404, "{\"message\":\"nothing scripted\"}", Duration.ZERO);

  public HttpStub() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          requests.add(
              new Request(exchange.getRequestMethod(), exchange.getRequestURI().toString(), body));
          Answer answer = next();
          if (!answer.delay().isZero()) {
            try {
              closed.await(answer.delay().toMillis(), TimeUnit.MILLISECONDS); // until closed
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
          if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(bytes);
            }
          }
          exchange.close();
        });
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.start();
  }

  /** The next request gets this answer. */
  public HttpStub answer(int status, String body) {
    synchronized (answers) {
      answers.add(new Answer(status, body, Duration.ZERO));
    }
    return this;
  }

  /** The next request gets no answer for this long. */
  public HttpStub silence(Duration delay) {
    synchronized (answers) {
      answers.add(new Answer(200, "{}", delay));
    }
    return this;
  }

  private Answer next() {
    synchronized (answers) {
      if (!answers.isEmpty()) {
        last = answers.poll();
      }
      return last;
    }
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public List<Request> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  @Override
  public void close() {
    closed.countDown();
    server.stop(0);
  }
}
