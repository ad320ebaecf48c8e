package dev.kafkademo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

/** The JDK's file errors in the words a user checks (as root, a real unreadable file is rare). */
class FileProblemsTest {
  @Test
  void namesTheProblemNotJustThePath() {
    assertEquals(
        "permission denied", reason(new AccessDeniedException("/etc/kafka/client.properties")));
    assertEquals("no such file", reason(new NoSuchFileException("/nope")));
    assertEquals("not UTF-8 text", reason(new MalformedInputException(1)));
    assertEquals("is a directory", reason(new FileSystemException("/tmp", null, "Is a directory")));
  }

  private static String reason(IOException error) {
    return FileProblems.reason(error);
  }
}
