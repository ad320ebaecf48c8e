package dev.kafkademo.cli.output;

import dev.kafkademo.kafka.Durations;
import dev.kafkademo.kafka.admin.Doctor.AdvertisedReachable;
import dev.kafkademo.kafka.admin.Doctor.AdvertisedUnreachable;
import dev.kafkademo.kafka.admin.Doctor.AuthenticationFailed;
import dev.kafkademo.kafka.admin.Doctor.BootstrapAnswered;
import dev.kafkademo.kafka.admin.Doctor.BootstrapUnreachable;
import dev.kafkademo.kafka.admin.Doctor.BrokerCertificate;
import dev.kafkademo.kafka.admin.Doctor.CertificateUnread;
import dev.kafkademo.kafka.admin.Doctor.Check;
import dev.kafkademo.kafka.admin.Doctor.Finding;
import dev.kafkademo.kafka.admin.Doctor.FullyReplicated;
import dev.kafkademo.kafka.admin.Doctor.GroupFound;
import dev.kafkademo.kafka.admin.Doctor.GroupUnknown;
import dev.kafkademo.kafka.admin.Doctor.OffsetsTopicLeaderless;
import dev.kafkademo.kafka.admin.Doctor.OffsetsTopicNeedsBrokers;
import dev.kafkademo.kafka.admin.Doctor.OffsetsTopicOnFirstUse;
import dev.kafkademo.kafka.admin.Doctor.OffsetsTopicReady;
import dev.kafkademo.kafka.admin.Doctor.PlaintextToTls;
import dev.kafkademo.kafka.admin.Doctor.ReadBackMissing;
import dev.kafkademo.kafka.admin.Doctor.Skipped;
import dev.kafkademo.kafka.admin.Doctor.TlsFailed;
import dev.kafkademo.kafka.admin.Doctor.TopicLeaderless;
import dev.kafkademo.kafka.admin.Doctor.TopicMissing;
import dev.kafkademo.kafka.admin.Doctor.TopicReady;
import dev.kafkademo.kafka.admin.Doctor.UnderReplicated;
import dev.kafkademo.kafka.admin.Doctor.WriteFailed;
import dev.kafkademo.kafka.admin.Doctor.WriteTopicMissing;
import dev.kafkademo.kafka.admin.Doctor.WrittenAndRead;
import dev.kafkademo.registry.RegistryClient;
import dev.kafkademo.registry.RegistryException;
import java.util.stream.Collectors;

/** The doctor's findings as a person reads them: what was found, and what to do about it. */
public final class DoctorReport {
  private DoctorReport() {}

  /** One check as it is printed, and as {@code -o json} shows it. */
  public record Line(String name, String status, String detail, String fix) {}

  /** The schema registry: does it answer, with what subjects and rule. */
  public static Line registry(RegistryClient client) {
    String name = "schema registry";
    try {
      int subjects = client.subjects().size();
      String rule = client.compatibilityLevel(null);
      return new Line(
          name,
          "OK",
          client.url() + " answered: " + subjects + " subject(s), compatibility " + rule,
          null);
    } catch (RegistryException e) {
      String fix =
          switch (e.kind()) {
            case UNREACHABLE ->
                "start it (docker-compose up -d schema-registry, or scripts/schema-registry.sh)"
                    + " or correct --schema-registry";
            case UNAUTHORIZED -> "check --schema-registry-auth or basic.auth.user.info";
            default -> "check that --schema-registry is a schema registry's address";
          };
      return new Line(name, "FAIL", e.getMessage(), fix);
    }
  }

  public static Line line(Check check) {
    Finding f = check.finding();
    return new Line(check.name(), check.status().name(), detail(f), fix(f));
  }

  public static String detail(Finding finding) {
    if (finding instanceof BootstrapAnswered f) {
      return f.bootstrap() + " answered: " + f.brokers() + " broker(s)";
    } else if (finding instanceof BootstrapUnreachable f) {
      return "no broker answered at "
          + f.bootstrap()
          + " within "
          + Durations.format(f.timeout())
          + " ("
          + f.reason()
          + ")";
    } else if (finding instanceof AuthenticationFailed f) {
      return "a broker answered at " + f.bootstrap() + " but authentication failed: " + f.reason();
    } else if (finding instanceof TlsFailed f) {
      return "a broker answered at " + f.bootstrap() + " but the TLS handshake failed";
    } else if (finding instanceof PlaintextToTls f) {
      return f.bootstrap() + " speaks TLS, and this client plaintext";
    } else if (finding instanceof BrokerCertificate f) {
      return f.address()
          + " showed "
          + f.subject()
          + ", issued by "
          + f.issuer()
          + ", valid until "
          + f.notAfter().toString().substring(0, 10);
    } else if (finding instanceof CertificateUnread f) {
      return "could not read the certificate of " + f.address() + ": " + f.reason();
    } else if (finding instanceof AdvertisedUnreachable f) {
      return f.brokers().stream()
          .map(
              b ->
                  "broker "
                      + b.id()
                      + " advertises "
                      + b.host()
                      + ":"
                      + b.port()
                      + ", which cannot be reached from here ("
                      + b.reason()
                      + ")")
          .collect(Collectors.joining("; "));
    } else if (finding instanceof AdvertisedReachable) {
      return "every broker's advertised address connects from here";
    } else if (finding instanceof TopicMissing f) {
      return f.topic()
          + " does not exist yet"
          + (f.autoCreated() ? " (the broker creates topics on first use)" : "");
    } else if (finding instanceof TopicLeaderless f) {
      return f.topic() + ": " + f.partitions() + " partition(s) without a leader";
    } else if (finding instanceof TopicReady f) {
      return f.topic() + " exists with " + f.partitions() + " partition(s)";
    } else if (finding instanceof OffsetsTopicLeaderless f) {
      return f.partitions() + " partition(s) of __consumer_offsets have no leader";
    } else if (finding instanceof OffsetsTopicReady f) {
      return "__consumer_offsets exists, replication factor " + f.replicationFactor();
    } else if (finding instanceof OffsetsTopicOnFirstUse f) {
      return "__consumer_offsets is created on first use, replication factor "
          + f.replicationFactor();
    } else if (finding instanceof OffsetsTopicNeedsBrokers f) {
      return "__consumer_offsets does not exist and would need "
          + f.replicationFactor()
          + " replicas, but there are "
          + f.brokers()
          + " broker(s)";
    } else if (finding instanceof FullyReplicated f) {
      return "all " + f.partitions() + " partitions have every replica in sync";
    } else if (finding instanceof UnderReplicated f) {
      return f.total()
          + " under-replicated partition(s): "
          + String.join(", ", f.partitions())
          + (f.total() > f.partitions().size() ? ", ..." : "")
          + (f.underMinInsync() > 0
              ? "; "
                  + f.underMinInsync()
                  + " with fewer in sync than min.insync.replicas refuse acks=all writes"
              : "");
    } else if (finding instanceof GroupFound f) {
      return f.group()
          + ": "
          + f.state()
          + ", "
          + f.members()
          + " member(s), committed offsets on "
          + f.committedPartitions()
          + " partition(s), total lag "
          + f.totalLag();
    } else if (finding instanceof GroupUnknown f) {
      return f.group() + " has no committed offsets yet";
    } else if (finding instanceof WrittenAndRead f) {
      return "wrote and read back "
          + f.partition()
          + "@"
          + f.offset()
          + " in "
          + f.millis()
          + " ms";
    } else if (finding instanceof WriteTopicMissing f) {
      return f.topic() + " does not exist and the broker does not create topics";
    } else if (finding instanceof WriteFailed f) {
      return "could not write to " + f.topic() + ": " + f.reason();
    } else if (finding instanceof ReadBackMissing f) {
      return "wrote "
          + f.partition()
          + "@"
          + f.offset()
          + " but could not read it back within "
          + Durations.format(f.timeout());
    } else if (finding instanceof Skipped) {
      return "needs the checks above";
    }
    throw new IllegalArgumentException("no text for " + finding);
  }

  /** What to do, or null when nothing needs doing. */
  public static String fix(Finding finding) {
    if (finding instanceof BootstrapUnreachable) {
      return "start the broker (docker-compose up -d, or kafka-demo broker) and check --bootstrap-server";
    } else if (finding instanceof AuthenticationFailed) {
      return "the broker is up: check the user and password (sasl.jaas.config) and sasl.mechanism"
          + " in --command-config";
    } else if (finding instanceof TlsFailed f) {
      return f.reason();
    } else if (finding instanceof PlaintextToTls) {
      return "set security.protocol=SSL and the truststore in --command-config (kafka-demo broker"
          + " --tls writes client.properties)";
    } else if (finding instanceof BrokerCertificate f
        && f.notAfter().isBefore(java.time.Instant.now().plus(java.time.Duration.ofDays(30)))) {
      return "renew it before it ends: clients refuse an expired certificate";
    } else if (finding instanceof AdvertisedUnreachable) {
      return "the first connection works, but clients are then sent to the advertised address: set"
          + " advertised.listeners (KAFKA_ADVERTISED_LISTENERS) for the listener you use to an"
          + " address reachable from here, localhost:9092 from the host, kafka:29092 from containers";
    } else if (finding instanceof TopicMissing f) {
      return f.autoCreated()
          ? "nothing to do: the first producer creates it, or create it now with kafka-demo topics create "
              + f.topic()
          : "create it: kafka-demo topics create " + f.topic();
    } else if (finding instanceof TopicLeaderless) {
      return "start the brokers that hold them";
    } else if (finding instanceof OffsetsTopicLeaderless) {
      return "start the brokers that hold them: groups cannot commit";
    } else if (finding instanceof UnderReplicated) {
      return "a broker that holds them is down or behind: start it (topics describe TOPIC shows"
          + " the ISR; they catch up on their own)";
    } else if (finding instanceof OffsetsTopicNeedsBrokers f) {
      return "set offsets.topic.replication.factor (KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR) to "
          + f.brokers()
          + " or fewer: until then no group gets partitions";
    } else if (finding instanceof GroupFound f && f.totalLag() > 0 && f.members() == 0) {
      return "no consumer is running in the group: start one to work off the lag";
    } else if (finding instanceof GroupUnknown) {
      return "a new group starts at the latest events: use consumer --from-beginning to read the older ones";
    } else if (finding instanceof WriteTopicMissing f) {
      return "create it: kafka-demo topics create " + f.topic();
    } else if (finding instanceof WriteFailed) {
      return "see the producer section of the troubleshooting guide";
    } else if (finding instanceof ReadBackMissing) {
      return "check the consumer's access to the topic";
    }
    return null;
  }
}
