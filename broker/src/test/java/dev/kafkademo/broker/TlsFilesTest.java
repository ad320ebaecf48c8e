package dev.kafkademo.broker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The broker's certificates: what is made, what a second start reuses, what it makes again. */
class TlsFilesTest {
  @TempDir Path dir;

  @Test
  void aCaSignsTheBrokersCertificateForLocalhostAndItsAddress() throws Exception {
    TlsFiles files = TlsFiles.prepare(dir, false);

    X509Certificate ca = TlsFiles.readCertificates(files.ca()).get(0);
    List<X509Certificate> chain = TlsFiles.readCertificates(files.brokerKeystore());
    X509Certificate broker = chain.get(0);
    broker.verify(ca.getPublicKey());
    assertTrue(ca.getBasicConstraints() >= 0, "the CA may sign");
    assertEquals(-1, broker.getBasicConstraints(), "the broker's certificate may not");
    List<String> names =
        broker.getSubjectAlternativeNames().stream().map(n -> n.get(1).toString()).toList();
    assertEquals(List.of("localhost", "127.0.0.1"), names);
    assertTrue(broker.getExtendedKeyUsage().contains("1.3.6.1.5.5.7.3.1"), "for a TLS server");
    Instant end = broker.getNotAfter().toInstant();
    assertTrue(end.isAfter(Instant.now().plus(TlsFiles.VALIDITY).minus(Duration.ofMinutes(1))));
    assertEquals(end, files.brokerExpiry());
    assertEquals(ca, chain.get(1), "the chain ends with the CA");
    assertFalse(Files.exists(dir.resolve(TlsFiles.CLIENT_KEYSTORE)), "no client certificate asked");
  }

  @Test
  void privateKeysAreTheOwnersOnlyAndCertificatesForEveryone() throws Exception {
    TlsFiles.prepare(dir, true);

    for (String key : List.of(TlsFiles.CA_KEY, TlsFiles.BROKER_KEYSTORE, TlsFiles.CLIENT_KEY)) {
      assertEquals(
          "rw-------",
          PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(key))),
          key);
      assertTrue(Files.readString(dir.resolve(key)).contains("-----BEGIN PRIVATE KEY-----"), key);
    }
    assertEquals(
        "rw-r--r--",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(TlsFiles.CA))));
    assertFalse(Files.readString(dir.resolve(TlsFiles.CA)).contains("PRIVATE KEY"));
  }

  @Test
  void theClientCertificateNamesTheClientAndIsSignedByTheSameCa() throws Exception {
    TlsFiles files = TlsFiles.prepare(dir, true);

    X509Certificate ca = TlsFiles.readCertificates(files.ca()).get(0);
    X509Certificate client = TlsFiles.readCertificates(dir.resolve(TlsFiles.CLIENT_CERT)).get(0);
    client.verify(ca.getPublicKey());
    assertEquals("CN=" + TlsFiles.CLIENT_NAME, client.getSubjectX500Principal().getName());
    assertTrue(client.getExtendedKeyUsage().contains("1.3.6.1.5.5.7.3.2"), "for a TLS client");
    assertEquals(
        client, TlsFiles.readCertificates(files.clientKeystore()).get(0), "the keystore holds it");
  }

  @Test
  void aSecondStartKeepsTheCertificatesAndAddsAClientOneWhenAsked() throws Exception {
    TlsFiles.prepare(dir, false);
    byte[] ca = Files.readAllBytes(dir.resolve(TlsFiles.CA));
    byte[] broker = Files.readAllBytes(dir.resolve(TlsFiles.BROKER_KEYSTORE));

    TlsFiles.prepare(dir, true);

    assertArrayEquals(ca, Files.readAllBytes(dir.resolve(TlsFiles.CA)));
    assertArrayEquals(broker, Files.readAllBytes(dir.resolve(TlsFiles.BROKER_KEYSTORE)));
    assertTrue(Files.exists(dir.resolve(TlsFiles.CLIENT_KEYSTORE)));
  }

  @Test
  void aBrokerCertificateFromAnotherCaIsMadeAgain() throws Exception {
    Path other = Files.createDirectory(dir.resolve("other"));
    Path mine = Files.createDirectory(dir.resolve("mine"));
    TlsFiles.prepare(other, false);
    TlsFiles files = TlsFiles.prepare(mine, false);
    Files.copy(
        other.resolve(TlsFiles.BROKER_KEYSTORE),
        mine.resolve(TlsFiles.BROKER_KEYSTORE),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);

    TlsFiles.prepare(mine, false);

    X509Certificate ca = TlsFiles.readCertificates(files.ca()).get(0);
    TlsFiles.readCertificates(files.brokerKeystore()).get(0).verify(ca.getPublicKey());
  }
}
