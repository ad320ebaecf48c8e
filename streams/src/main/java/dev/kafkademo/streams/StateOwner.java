package dev.kafkademo.streams;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Which cluster and application the state in a state directory was built from. The directory
 * outlives brokers (a temporary one, a {@code docker-compose down -v}): Kafka Streams would read a
 * new cluster's events on top of another cluster's totals and stream time. Recorded in a file of
 * its own beside Streams' task directories, which Streams leaves alone.
 */
public final class StateOwner {
  static final String FILE = "kafka-demo.owner";

  /** Kafka Streams' task directories: {@code <subtopology>_<partition>}. */
  private static final Pattern TASK_DIRECTORY = Pattern.compile("\\d+_\\d+");

  private final Path applicationDir;

  /**
   * @param applicationDir the application's own directory under the state directory
   */
  public StateOwner(Path applicationDir) {
    this.applicationDir = applicationDir;
  }

  /**
   * Why the state there is not this cluster's, or empty when it is (or there is none). State with
   * no record of its cluster (made before this was recorded) is not known to be this cluster's.
   */
  public Optional<String> notFrom(String clusterId, String applicationId) {
    if (!hasState()) {
      return Optional.empty();
    }
    Properties owner = read();
    String recorded = owner.getProperty("cluster.id");
    if (recorded == null) {
      return Optional.of("has no record of the cluster it was built from");
    }
    if (!recorded.equals(clusterId)) {
      return Optional.of(
          "was built from cluster " + recorded + ", not this one (" + clusterId + ")");
    }
    String application = owner.getProperty("application.id");
    if (application != null && !application.equals(applicationId)) {
      return Optional.of("belongs to application " + application + ", not " + applicationId);
    }
    return Optional.empty();
  }

  /** Records that the state there is built from this cluster by this application. */
  public void claim(String clusterId, String applicationId) {
    Properties owner = new Properties();
    owner.setProperty("cluster.id", clusterId);
    owner.setProperty("application.id", applicationId);
    try {
      Files.createDirectories(applicationDir);
      try (Writer out = Files.newBufferedWriter(applicationDir.resolve(FILE))) {
        owner.store(out, "The cluster and application this Kafka Streams state belongs to");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private boolean hasState() {
    if (!Files.isDirectory(applicationDir)) {
      return false;
    }
    try (Stream<Path> entries = Files.list(applicationDir)) {
      return entries.anyMatch(
          entry ->
              Files.isDirectory(entry)
                  && TASK_DIRECTORY.matcher(entry.getFileName().toString()).matches());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Properties read() {
    Properties owner = new Properties();
    Path file = applicationDir.resolve(FILE);
    if (Files.isRegularFile(file)) {
      try (Reader in = Files.newBufferedReader(file)) {
        owner.load(in);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return owner;
  }
}
