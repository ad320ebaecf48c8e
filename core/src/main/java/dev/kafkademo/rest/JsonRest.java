package dev.kafkademo.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * JSON over HTTP for the REST APIs the commands speak (the schema registry's, Kafka Connect's): one
 * request, its status and JSON answer, or why there was none. {@code HttpURLConnection}, which
 * unlike {@code java.net.http} sets up no TLS for a plain-http address: a tenth of a second less
 * for a short-lived command.
 */
public final class JsonRest {
  public static final ObjectMapper JSON = new ObjectMapper();

  /** What the server answered: its status and body (an empty object if it sent none). */
  public record Answer(int status, JsonNode body) {
    public boolean ok() {
      return status / 100 == 2;
    }

    /** The server's own message, if its error body has one. */
    public String message() {
      return body.path("message").asText("HTTP " + status);
    }
  }

  /** No answer at all, and why, in words for a person. */
  public static final class NoAnswer extends IOException {
    private final boolean timedOut;

    NoAnswer(String message, boolean timedOut, Throwable cause) {
      super(message, cause);
      this.timedOut = timedOut;
    }

    public boolean timedOut() {
      return timedOut;
    }
  }

  private final String baseUrl;
  private final String printableUrl;
  private final String authorization;
  private final Duration timeout;
  private final String contentType;

  /**
   * @param url {@code http://HOST:PORT[/PATH]}, credentials in it taken and never printed
   * @param userInfo {@code USER:PASSWORD} for HTTP basic authentication (else the URL's), or null
   * @throws IllegalArgumentException what is wrong with the URL or the credentials
   */
  public JsonRest(String url, String userInfo, Duration timeout, String contentType) {
    URI uri;
    try {
      uri = URI.create(url.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a URL: " + e.getMessage(), e);
    }
    if (uri.getScheme() == null
        || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
        || uri.getHost() == null) {
      throw new IllegalArgumentException("expected http://HOST:PORT[/PATH], got " + printable(uri));
    }
    String credentials = userInfo != null ? userInfo : uri.getUserInfo();
    if (credentials != null && !credentials.contains(":")) {
      throw new IllegalArgumentException("credentials must be USER:PASSWORD");
    }
    this.authorization =
        credentials == null
            ? null
            : "Basic "
                + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    this.printableUrl = printable(uri);
    this.baseUrl = withoutUserInfo(uri).replaceAll("/+$", "");
    this.timeout = timeout;
    this.contentType = contentType;
  }

  /** A name as one path segment of a URL: {@code a/b c} as {@code a%2Fb%20c}. */
  public static String segment(String name) {
    return java.net.URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** The address without credentials, for messages. */
  public String url() {
    return printableUrl;
  }

  private static String withoutUserInfo(URI uri) {
    return uri.getScheme()
        + "://"
        + uri.getHost()
        + (uri.getPort() >= 0 ? ":" + uri.getPort() : "")
        + (uri.getRawPath() == null ? "" : uri.getRawPath());
  }

  private static String printable(URI uri) {
    return uri.getHost() == null
        ? "'" + uri.toString().replaceAll("//[^@/]*@", "//") + "'"
        : withoutUserInfo(uri);
  }

  public Answer send(String method, String path, JsonNode body) throws NoAnswer {
    HttpURLConnection http;
    try {
      http = (HttpURLConnection) URI.create(baseUrl + path).toURL().openConnection();
    } catch (IOException | IllegalArgumentException e) {
      throw new NoAnswer("not a usable URL: " + e.getMessage(), false, e);
    }
    try {
      http.setConnectTimeout((int) timeout.toMillis());
      http.setReadTimeout((int) timeout.toMillis());
      http.setRequestMethod(method);
      http.setRequestProperty("Accept", contentType);
      if (authorization != null) {
        http.setRequestProperty("Authorization", authorization);
      }
      if (body != null) {
        http.setDoOutput(true);
        http.setRequestProperty("Content-Type", contentType);
        try (OutputStream out = http.getOutputStream()) {
          JSON.writeValue(out, body);
        }
      }
      int status = http.getResponseCode();
      try (InputStream in = status / 100 == 2 ? http.getInputStream() : http.getErrorStream()) {
        return new Answer(status, parse(in == null ? new byte[0] : in.readAllBytes()));
      }
    } catch (ConnectException | UnknownHostException | NoRouteToHostException e) {
      throw new NoAnswer("is not reachable (is it running? check the URL)", false, e);
    } catch (SocketTimeoutException e) {
      throw new NoAnswer(
          "did not answer within " + dev.kafkademo.kafka.Durations.format(timeout), true, e);
    } catch (IOException e) {
      throw new NoAnswer("could not be asked: " + e, false, e);
    } finally {
      http.disconnect();
    }
  }

  private static JsonNode parse(byte[] body) {
    if (body.length == 0) {
      return JSON.createObjectNode();
    }
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      return JSON.createObjectNode()
          .put("message", new String(body, StandardCharsets.UTF_8).strip());
    }
  }
}
