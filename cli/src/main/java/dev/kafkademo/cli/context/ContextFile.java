package dev.kafkademo.cli.context;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import dev.kafkademo.cli.CliException;
import dev.kafkademo.cli.FileProblems;
import dev.kafkademo.events.EventJson;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * The contexts and the one in use, in a JSON file in the user's configuration directory: {@code
 * $KAFKA_DEMO_CONFIG}, else {@code $XDG_CONFIG_HOME/kafka-demo/contexts.json}, else {@code
 * ~/.config/kafka-demo/contexts.json}. Written with mode 600 (its directory 700): a context names
 * the files that hold credentials, and may hold a registry address with them.
 */
public final class ContextFile {
  public static final String CONFIG_ENV = "KAFKA_DEMO_CONFIG";
  public static final String CONTEXT_ENV = "KAFKA_DEMO_CONTEXT";
  static final String FILE_NAME = "contexts.json";

  /** What the file holds. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Contents(String current, Map<String, Context> contexts) {
    public Contents {
      contexts = contexts == null ? new TreeMap<>() : new TreeMap<>(contexts);
    }
  }

  private final Path path;
  private Contents contents;

  private ContextFile(Path path, Contents contents) {
    this.path = path;
    this.contents = contents;
  }

  /** Where the file is, from the environment. */
  public static Path location(UnaryOperator<String> environment) {
    String named = environment.apply(CONFIG_ENV);
    if (named != null && !named.isBlank()) {
      return Path.of(named);
    }
    String xdg = environment.apply("XDG_CONFIG_HOME");
    Path dir =
        xdg != null && !xdg.isBlank()
            ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".config");
    return dir.resolve("kafka-demo").resolve(FILE_NAME);
  }

  /** The file's contexts; none when it does not exist yet. */
  public static ContextFile load(Path path) {
    try {
      // Read before the JSON mapper is touched: without contexts, a command's start-up does not
      // pay for loading Jackson's databind (a third of a second of the one-event producer).
      byte[] text = Files.readAllBytes(path);
      Contents contents =
          EventJson.mapper()
              .readerFor(Contents.class)
              .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
              .readValue(text);
      return new ContextFile(path, contents == null ? new Contents(null, null) : contents);
    } catch (NoSuchFileException e) {
      return new ContextFile(path, new Contents(null, null));
    } catch (JsonProcessingException e) {
      throw CliException.badInput(
          "Cannot read the contexts in " + path + ": " + EventJson.problem(e), e);
    } catch (IOException e) {
      throw CliException.badInput(
          "Cannot read the contexts in " + path + ": " + FileProblems.reason(e), e);
    }
  }

  public Path path() {
    return path;
  }

  public String current() {
    return contents.current();
  }

  public Map<String, Context> contexts() {
    return contents.contexts();
  }

  public void put(String name, Context context) {
    contents.contexts().put(name, context);
  }

  public void remove(String name) {
    contents.contexts().remove(name);
    if (name.equals(contents.current())) {
      contents = new Contents(null, contents.contexts());
    }
  }

  public void use(String name) {
    contents = new Contents(name, contents.contexts());
  }

  /**
   * Writes the file: to a new file with mode 600 first, then moved over the old one, so that it is
   * never readable by others nor half written.
   */
  public void save() {
    try {
      Path dir = path.toAbsolutePath().getParent();
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(dir, ownerOnly(Set.of(PosixFilePermission.OWNER_EXECUTE)));
      }
      Path temporary = dir.resolve("." + path.getFileName() + ".new");
      Files.deleteIfExists(temporary);
      try {
        Files.createFile(temporary, ownerOnly(Set.of()));
      } catch (UnsupportedOperationException | FileAlreadyExistsException e) {
        Files.createFile(temporary); // not a POSIX file system
      }
      Files.write(
          temporary,
          EventJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(contents));
      try {
        Files.move(
            temporary, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, path, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new CliException(
          "Cannot write the contexts to " + path + ": " + FileProblems.reason(e),
          dev.kafkademo.cli.ExitCodes.FAILURE,
          e);
    }
  }

  private static java.nio.file.attribute.FileAttribute<Set<PosixFilePermission>> ownerOnly(
      Set<PosixFilePermission> extra) {
    Set<PosixFilePermission> permissions =
        new java.util.HashSet<>(
            Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
    permissions.addAll(extra);
    return PosixFilePermissions.asFileAttribute(permissions);
  }
}
