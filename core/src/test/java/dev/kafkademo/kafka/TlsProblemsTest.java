package dev.kafkademo.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.util.Optional;
import javax.net.ssl.SSLHandshakeException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/** The JDK's handshake failures, as Kafka hands them over, said with what to check. */
class TlsProblemsTest {
  /** Kafka's "SSL handshake failed" over the JDK's exception over its cause. */
  private static SslAuthenticationException failed(String jdkMessage, Throwable cause) {
    SSLHandshakeException handshake = new SSLHandshakeException(jdkMessage);
    handshake.initCause(cause);
    return new SslAuthenticationException("SSL handshake failed", handshake);
  }

  private static String describe(Throwable error) {
    return TlsProblems.describe(error).orElseThrow();
  }

  @Test
  void anUntrustedCaNamesTheTruststore() {
    String said =
        describe(
            failed(
                "PKIX path building failed",
                new CertPathBuilderException("unable to find valid certification path")));
    assertTrue(said.contains("not signed by a CA this client trusts"), said);
    assertTrue(said.contains("ssl.truststore.location"), said);
  }

  @Test
  void aNameTheCertificateDoesNotCoverIsSaid() {
    String said =
        describe(
            failed(
                "No subject alternative names matching IP address 127.0.0.2 found",
                new CertificateException(
                    "No subject alternative names matching IP address 127.0.0.2 found")));
    assertTrue(said.contains("does not cover the address"), said);
    assertTrue(said.contains("127.0.0.2"), said);
  }

  @Test
  void anExpiredCertificateIsSaid() {
    String said =
        describe(
            failed(
                "PKIX path validation failed",
                new CertificateExpiredException("NotAfter: Sat Dec 05 10:00:00 UTC 2026")));
    assertTrue(said.startsWith("TLS: a certificate has expired"), said);
  }

  @Test
  void aMissingClientCertificateNamesTheKeystore() {
    String said =
        describe(
            new SslAuthenticationException(
                "SSL handshake failed",
                new SSLHandshakeException("Received fatal alert: bad_certificate")));
    assertTrue(said.contains("wants a client certificate"), said);
    assertTrue(said.contains("ssl.keystore.location"), said);
  }

  @Test
  void aPortWithoutTlsIsSaid() {
    String said =
        describe(
            new SslAuthenticationException(
                "SSL handshake failed",
                new javax.net.ssl.SSLException("Unrecognized SSL message, plaintext connection?")));
    assertTrue(said.contains("does not speak TLS"), said);
  }

  @Test
  void whatIsNotATlsFailureIsLeftToOthers() {
    assertEquals(Optional.empty(), TlsProblems.describe(new TimeoutException("no answer")));
  }
}
