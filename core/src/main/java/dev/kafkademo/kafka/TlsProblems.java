package dev.kafkademo.kafka;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.errors.SslAuthenticationException;

/**
 * What a failed TLS handshake means for the user, in one sentence that names the setting to check.
 * Kafka reports every one as "SSL handshake failed" and keeps the JDK's reason in the causes; the
 * JDK's own messages are the evidence read here.
 */
public final class TlsProblems {
  private TlsProblems() {}

  /** The cause, said with what to check; empty when {@code error} is not a TLS failure. */
  public static Optional<String> describe(Throwable error) {
    if (!tlsFailure(error)) {
      return Optional.empty();
    }
    for (Throwable t = error; t != null; t = t.getCause()) {
      String message = t.getMessage() == null ? "" : t.getMessage();
      String lower = message.toLowerCase(Locale.ROOT);
      if (t instanceof CertificateExpiredException || lower.contains("certificate_expired")) {
        return Optional.of(
            "TLS: a certificate has expired ("
                + message
                + "); the broker's certificates are made again when it starts with none valid");
      }
      if (t instanceof CertificateNotYetValidException) {
        return Optional.of(
            "TLS: a certificate is not valid yet (" + message + "): check the clocks");
      }
      if (lower.startsWith("no subject alternative names")
          || lower.startsWith("no subject alternative dns name")
          || lower.startsWith("no name matching")) {
        return Optional.of(
            "TLS: the broker's certificate does not cover the address connected to ("
                + message
                + "); use a name it was made for (localhost or 127.0.0.1 for kafka-demo broker"
                + " --tls)");
      }
      if (t instanceof CertPathBuilderException
          || t instanceof CertPathValidatorException
          || lower.contains("unable to find valid certification path")) {
        return Optional.of(
            "TLS: the broker's certificate is not signed by a CA this client trusts; check"
                + " ssl.truststore.location in --command-config (kafka-demo broker --tls writes"
                + " ca.pem and client.properties)");
      }
      if (lower.contains("bad_certificate")
          || lower.contains("certificate_required")
          || lower.contains("certificate_unknown") && !lower.contains("pkix")) {
        return Optional.of(
            "TLS: the broker wants a client certificate signed by its CA (mutual TLS) and did not"
                + " get one; set ssl.keystore.type=PEM and ssl.keystore.location in"
                + " --command-config (kafka-demo broker --tls-client-auth writes"
                + " client.keystore.pem)");
      }
      if (lower.contains("unrecognized ssl message") || lower.contains("plaintext connection")) {
        return Optional.of(
            "TLS: the broker's port does not speak TLS; leave security.protocol=SSL (or SASL_SSL)"
                + " out of --command-config, or connect to its TLS port");
      }
    }
    return Optional.of(
        "TLS handshake failed ("
            + Causes.innermost(error).getMessage()
            + "); check the ssl.* settings in --command-config");
  }

  /** Whether these client settings speak TLS to the broker (SSL or SASL_SSL). */
  public static boolean usesTls(Properties clientProperties) {
    return clientProperties
        .getProperty(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "PLAINTEXT")
        .toUpperCase(Locale.ROOT)
        .endsWith("SSL");
  }

  /**
   * Whether the first address of a bootstrap list answers a TLS handshake: a client that speaks
   * plaintext to it sees only a silent broker, so this says what to change.
   */
  public static boolean speaksTls(String bootstrapServers, Duration timeout) {
    HostAndPort first = HostAndPort.first(bootstrapServers);
    return first != null && speaksTls(first.host(), first.port(), timeout);
  }

  /**
   * Whether something at {@code host:port} answers a TLS handshake. Any answer counts, a
   * certificate this JVM does not trust included.
   */
  public static boolean speaksTls(String host, int port, Duration timeout) {
    int millis = (int) Math.min(Math.max(timeout.toMillis(), 1), 3000);
    try (Socket plain = new Socket()) {
      plain.connect(new InetSocketAddress(host, port), millis);
      plain.setSoTimeout(millis);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, null, null);
      try (SSLSocket socket =
          (SSLSocket) context.getSocketFactory().createSocket(plain, host, port, false)) {
        socket.startHandshake();
        return true;
      } catch (SSLHandshakeException e) {
        // A certificate came back that this JVM does not trust: the server speaks TLS. A plaintext
        // Kafka port just closes the connection ("Remote host terminated the handshake").
        return certificateProblem(e);
      } catch (SSLException e) {
        return false; // not TLS: "Unsupported or unrecognized SSL message"
      }
    } catch (IOException | java.security.GeneralSecurityException e) {
      return false;
    }
  }

  private static boolean certificateProblem(Throwable error) {
    return Causes.first(error, java.security.cert.CertificateException.class) != null
        || Causes.first(error, CertPathBuilderException.class) != null
        || Causes.first(error, CertPathValidatorException.class) != null;
  }

  private static boolean tlsFailure(Throwable error) {
    return Causes.first(error, SslAuthenticationException.class) != null
        || Causes.first(error, SSLException.class) != null;
  }
}
