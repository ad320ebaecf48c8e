package dev.kafkademo.cli;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;

/**
 * What went wrong with a file, in the words a user checks: the JDK's messages are often just the
 * path ({@code AccessDeniedException}) or a decoder's "Input length = 1".
 */
public final class FileProblems {
  private FileProblems() {}

  public static String reason(IOException error) {
    if (error instanceof NoSuchFileException) {
      return "no such file";
    }
    if (error instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (error instanceof NotDirectoryException) {
      return "a part of the path is a file, not a directory";
    }
    if (error instanceof CharacterCodingException) {
      return "not UTF-8 text";
    }
    if (error instanceof FileSystemException fs && fs.getReason() != null) {
      return fs.getReason().toLowerCase(Locale.ROOT);
    }
    return error.getMessage() != null ? error.getMessage() : error.getClass().getSimpleName();
  }
}
