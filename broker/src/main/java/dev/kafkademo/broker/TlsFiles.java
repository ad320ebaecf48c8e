package dev.kafkademo.broker;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The certificates of a broker that serves TLS, in one directory: a CA of its own, the broker's
 * certificate for {@code localhost} and {@code 127.0.0.1} signed by it, and for mutual TLS a client
 * certificate whose CN is the client's principal. Made with BouncyCastle's PKIX classes the first
 * time (EC P-256 keys, valid for a year) and reused after, so a broker keeps its certificates
 * across restarts and clients keep trusting it.
 *
 * <p>Files, all PEM: {@value #CA} (what clients trust), {@value #CA_KEY}, {@value #BROKER_KEYSTORE}
 * (the broker's key and certificate chain), and with client certificates {@value #CLIENT_CERT} and
 * {@value #CLIENT_KEY} (for kcat and librdkafka) and {@value #CLIENT_KEYSTORE} (both, for Java
 * clients). Private keys are unencrypted PKCS#8, readable by the owner only.
 */
public final class TlsFiles {
  public static final String CA = "ca.pem";
  public static final String CA_KEY = "ca.key";
  public static final String BROKER_KEYSTORE = "broker.keystore.pem";
  public static final String CLIENT_CERT = "client.pem";
  public static final String CLIENT_KEY = "client.key";
  public static final String CLIENT_KEYSTORE = "client.keystore.pem";
  public static final String CLIENT_PROPERTIES = "client.properties";

  /** The CN of the client certificate: its principal is {@code User:client}. */
  public static final String CLIENT_NAME = "client";

  static final Duration VALIDITY = Duration.ofDays(365);

  /** A certificate this close to its end is made again when the broker starts. */
  private static final Duration RENEW_BEFORE = Duration.ofDays(1);

  private static final String SIGNATURE = "SHA256withECDSA";

  private final Path dir;
  private final boolean clientAuth;

  private TlsFiles(Path dir, boolean clientAuth) {
    this.dir = dir;
    this.clientAuth = clientAuth;
  }

  /**
   * The directory's certificates, made where they are missing, expired or not signed by its CA
   * (everything is made again when the CA itself is).
   *
   * @param clientCertificate whether a client certificate is wanted (mutual TLS)
   * @throws IOException when the directory cannot be written or holds files that are not PEM
   */
  public static TlsFiles prepare(Path dir, boolean clientCertificate) throws IOException {
    Files.createDirectories(dir);
    TlsFiles files = new TlsFiles(dir.toAbsolutePath(), clientCertificate);
    try {
      files.make(clientCertificate);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IOException("Could not make the TLS certificates in " + dir + ": " + e, e);
    }
    return files;
  }

  public Path dir() {
    return dir;
  }

  public Path ca() {
    return dir.resolve(CA);
  }

  public Path brokerKeystore() {
    return dir.resolve(BROKER_KEYSTORE);
  }

  public Path clientKeystore() {
    return dir.resolve(CLIENT_KEYSTORE);
  }

  public Path clientProperties() {
    return dir.resolve(CLIENT_PROPERTIES);
  }

  /** Whether clients must show a certificate (mutual TLS). */
  public boolean clientAuth() {
    return clientAuth;
  }

  /**
   * Writes {@value #CLIENT_PROPERTIES}: what a Java client (kafka-demo's --command-config, Apache
   * Kafka's tools) needs to connect, with absolute paths so it works from any directory. With SASL,
   * the user's own credentials are left to add: nothing secret is written but the client key.
   */
  public void writeClientProperties(String securityProtocol) throws IOException {
    StringBuilder text =
        new StringBuilder()
            .append(
                "# Clients of the kafka-demo broker over TLS: --command-config for kafka-demo,\n")
            .append(
                "# --command-config / --producer.config / --consumer.config for Kafka's tools.\n")
            .append("security.protocol=")
            .append(securityProtocol)
            .append('\n')
            .append("ssl.truststore.type=PEM\n")
            .append("ssl.truststore.location=")
            .append(escape(ca()))
            .append('\n');
    if (clientAuth) {
      text.append("# The client certificate (mutual TLS); its principal is User:")
          .append(CLIENT_NAME)
          .append('\n')
          .append("ssl.keystore.type=PEM\n")
          .append("ssl.keystore.location=")
          .append(escape(clientKeystore()))
          .append('\n');
    }
    if (securityProtocol.startsWith("SASL_")) {
      text.append("# Then who you are, e.g.:\n")
          .append("# sasl.mechanism=SCRAM-SHA-256\n")
          .append("# sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule")
          .append(" required username=\"alice\" password=\"...\";\n");
    }
    write(clientProperties(), text.toString());
  }

  /** A path as a properties value: backslashes (Windows) doubled. */
  private static String escape(Path path) {
    return path.toString().replace("\\", "\\\\");
  }

  /** The broker certificate's last day. */
  public Instant brokerExpiry() throws IOException {
    return readCertificates(brokerKeystore()).get(0).getNotAfter().toInstant();
  }

  private void make(boolean clientCertificate)
      throws IOException, GeneralSecurityException, OperatorCreationException {
    Instant now = Instant.now();
    Path caCert = dir.resolve(CA);
    Path caKey = dir.resolve(CA_KEY);
    X509Certificate ca;
    PrivateKey caPrivate;
    boolean newCa = !Files.exists(caCert) || !Files.exists(caKey) || !current(caCert, null, now);
    if (newCa) {
      KeyPair keys = newKeyPair();
      X500Name name = new X500Name("CN=kafka-demo CA");
      X509v3CertificateBuilder builder = builder(name, name, keys, now);
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      builder.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      ca = sign(builder, keys.getPrivate());
      caPrivate = keys.getPrivate();
      writePrivate(caKey, pem(caPrivate));
      write(caCert, pem(ca));
    } else {
      ca = readCertificates(caCert).get(0);
      caPrivate = readKey(caKey);
    }
    Path broker = dir.resolve(BROKER_KEYSTORE);
    if (newCa || !current(broker, ca, now)) {
      KeyPair keys = newKeyPair();
      X509v3CertificateBuilder builder = builder(name(ca), new X500Name("CN=localhost"), keys, now);
      builder.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(
              new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, EmbeddedBroker.HOST)
              }));
      builder.addExtension(
          Extension.extendedKeyUsage,
          false,
          new ExtendedKeyUsage(
              new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
      leaf(builder, ca);
      writePrivate(broker, pem(keys.getPrivate()) + pem(sign(builder, caPrivate)) + pem(ca));
    }
    Path client = dir.resolve(CLIENT_KEYSTORE);
    if (clientCertificate && (newCa || !current(client, ca, now))) {
      KeyPair keys = newKeyPair();
      X509v3CertificateBuilder builder =
          builder(name(ca), new X500Name("CN=" + CLIENT_NAME), keys, now);
      builder.addExtension(
          Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
      leaf(builder, ca);
      String key = pem(keys.getPrivate());
      String chain = pem(sign(builder, caPrivate)) + pem(ca);
      writePrivate(dir.resolve(CLIENT_KEY), key);
      write(dir.resolve(CLIENT_CERT), chain);
      writePrivate(client, key + chain);
    }
  }

  private static X509v3CertificateBuilder builder(
      X500Name issuer, X500Name subject, KeyPair keys, Instant now) {
    return new JcaX509v3CertificateBuilder(
        issuer,
        new BigInteger(128, new SecureRandom()),
        Date.from(now.minus(Duration.ofMinutes(5))), // a clock slightly behind still accepts it
        Date.from(now.plus(VALIDITY)),
        subject,
        keys.getPublic());
  }

  /** What every certificate the CA signs carries: not a CA, and for signing (ECDSA) only. */
  private static void leaf(X509v3CertificateBuilder builder, X509Certificate ca)
      throws GeneralSecurityException, IOException {
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
    builder.addExtension(
        Extension.authorityKeyIdentifier,
        false,
        new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(ca));
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer)
      throws OperatorCreationException, GeneralSecurityException {
    ContentSigner contentSigner = new JcaContentSignerBuilder(SIGNATURE).build(signer);
    X509CertificateHolder holder = builder.build(contentSigner);
    return new JcaX509CertificateConverter().getCertificate(holder);
  }

  private static X500Name name(X509Certificate certificate) {
    return X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
  }

  private static KeyPair newKeyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  /**
   * Whether the file's first certificate is still valid for a while and, when {@code issuer} is
   * given, signed by it.
   */
  private static boolean current(Path file, X509Certificate issuer, Instant now)
      throws IOException {
    if (!Files.exists(file)) {
      return false;
    }
    X509Certificate certificate = readCertificates(file).get(0);
    if (certificate.getNotAfter().toInstant().isBefore(now.plus(RENEW_BEFORE))) {
      return false;
    }
    if (issuer == null) {
      return true;
    }
    try {
      certificate.verify(issuer.getPublicKey());
      return true;
    } catch (GeneralSecurityException e) {
      return false; // signed by another CA: made again with this one
    }
  }

  /** The certificates in a PEM file, in order. */
  public static List<X509Certificate> readCertificates(Path file) throws IOException {
    List<X509Certificate> certificates = new ArrayList<>();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
        PEMParser parser = new PEMParser(reader)) {
      JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
      for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
        if (item instanceof X509CertificateHolder holder) {
          certificates.add(converter.getCertificate(holder));
        }
      }
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new IOException(file + " is not a PEM certificate file: " + e.getMessage(), e);
    }
    if (certificates.isEmpty()) {
      throw new IOException(file + " holds no certificate");
    }
    return certificates;
  }

  private static PrivateKey readKey(Path file) throws IOException {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
        PEMParser parser = new PEMParser(reader)) {
      Object item = parser.readObject();
      if (item instanceof PrivateKeyInfo info) {
        return new JcaPEMKeyConverter().getPrivateKey(info);
      }
      throw new IOException(file + " holds no unencrypted PKCS#8 private key");
    }
  }

  private static String pem(Object item) throws IOException {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(item instanceof PrivateKey key ? new JcaPKCS8Generator(key, null) : item);
    }
    return text.toString();
  }

  private static void write(Path file, String text) throws IOException {
    write(file, text, "rw-r--r--");
  }

  /** Written readable by the owner only (where the file system has POSIX permissions). */
  private static void writePrivate(Path file, String text) throws IOException {
    write(file, text, "rw-------");
  }

  /** Written whole or not at all: a broker stopped halfway leaves no half a key. */
  private static void write(Path file, String text, String permissions) throws IOException {
    Path temporary = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
    try {
      Files.writeString(temporary, text, StandardCharsets.US_ASCII);
      try {
        Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString(permissions));
      } catch (UnsupportedOperationException e) {
        // Not a POSIX file system (Windows): the directory's own permissions apply.
      }
      Files.move(
          temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temporary);
    }
  }
}
