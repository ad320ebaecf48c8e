package dev.kafkademo.broker;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A broker's data directory, checked before anything in it is touched: a second broker on the
 * directory of a running one would rewrite its quorum state and break it, and a directory that
 * cannot be used should be named plainly, not in a stack trace from deep inside the broker.
 */
final class DataDirectory {
  /** The lock file a running Kafka broker holds in each of its log directories. */
  static final String LOCK_FILE = ".lock";

  private DataDirectory() {}

  /**
   * The directory as an absolute path, created if it is missing.
   *
   * @throws UnusableException when it is a file or cannot be created or written
   * @throws InUseException when a running broker holds its lock
   */
  static Path prepare(Path dir) throws IOException {
    Path absolute = dir.toAbsolutePath();
    if (Files.exists(absolute) && !Files.isDirectory(absolute)) {
      throw new UnusableException(absolute, "it is a file, not a directory");
    }
    if (Files.isDirectory(absolute)) {
      refuseIfLocked(absolute);
    } else {
      try {
        Files.createDirectories(absolute);
      } catch (AccessDeniedException e) {
        throw new UnusableException(absolute, "permission denied");
      } catch (NoSuchFileException e) {
        throw new UnusableException(absolute, e.getFile() + " cannot be created");
      } catch (FileSystemException e) {
        throw new UnusableException(
            absolute, e.getReason() != null ? e.getReason().toLowerCase() : e.toString());
      }
    }
    if (!Files.isWritable(absolute)) {
      throw new UnusableException(absolute, "permission denied");
    }
    return absolute;
  }

  /** Whether a running broker holds the directory's lock (false for a missing directory). */
  static boolean inUse(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try {
      refuseIfLocked(dir);
      return false;
    } catch (InUseException e) {
      return true;
    }
  }

  /**
   * Tries the broker's own lock without creating anything: a directory without a lock file has no
   * broker, and an existing lock file is only opened, locked and released.
   */
  private static void refuseIfLocked(Path dir) throws IOException {
    Path lockFile = dir.resolve(LOCK_FILE);
    try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null; // held by a broker in this very process
      }
      if (lock == null) {
        throw new InUseException(dir);
      }
      lock.release();
    } catch (NoSuchFileException e) {
      // never used by a broker, or not since its lock file went away
    } catch (AccessDeniedException e) {
      throw new UnusableException(dir, "permission denied");
    }
  }

  /** A running broker uses the directory. */
  static final class InUseException extends IOException {
    InUseException(Path dir) {
      super(
          "Data directory "
              + dir
              + " is in use by a running broker (it holds "
              + LOCK_FILE
              + "): stop that broker, or give this one another --data-dir");
    }
  }

  /** The directory cannot hold a broker's data. */
  static final class UnusableException extends IOException {
    UnusableException(Path dir, String reason) {
      super("Cannot use " + dir + " as the data directory: " + reason);
    }
  }
}
