package dev.kafkademo.cli.output;

import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/**
 * Standard output for data: buffered, and aware of a reader that went away. A {@link PrintWriter}
 * hides write errors, and {@code System.out} hides them again, so {@code consumer | head -3} would
 * go on and commit what nobody read. Written straight to file descriptor 1, a failed write (a
 * closed pipe, a closed terminal) is remembered here, and {@link #closed} tells a command cheaply,
 * without a flush, that it should stop (like {@code checkErr} in Kafka's console consumer).
 */
public final class Stdout extends PrintWriter {
  private final FailureTracking tracking;

  private Stdout(FailureTracking tracking) {
    super(tracking);
    this.tracking = tracking;
  }

  /** The process's standard output, UTF-8, with a 64 KiB buffer that the commands flush. */
  public static Stdout open() {
    Writer fd1 =
        new BufferedWriter(
            new OutputStreamWriter(
                new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8),
            1 << 16);
    return new Stdout(new FailureTracking(fd1));
  }

  /** A writer for tests and in-process runs: the same behaviour over any writer. */
  public static Stdout over(Writer writer) {
    return new Stdout(new FailureTracking(writer));
  }

  /**
   * True once a write to {@code out} has failed: its reader is gone. Cheap enough for every record;
   * where a flush is due anyway, {@link PrintWriter#checkError()} says the same and flushes.
   */
  public static boolean closed(PrintWriter out) {
    return out instanceof Stdout stdout && stdout.tracking.failed;
  }

  /** Passes everything through and remembers the first failure. */
  private static final class FailureTracking extends Writer {
    private final Writer out;
    private volatile boolean failed;

    FailureTracking(Writer out) {
      this.out = out;
    }

    @Override
    public void write(char[] chars, int offset, int length) throws IOException {
      try {
        out.write(chars, offset, length);
      } catch (IOException e) {
        failed = true;
        throw e;
      }
    }

    @Override
    public void write(String text, int offset, int length) throws IOException {
      try {
        out.write(text, offset, length);
      } catch (IOException e) {
        failed = true;
        throw e;
      }
    }

    @Override
    public void flush() throws IOException {
      try {
        out.flush();
      } catch (IOException e) {
        failed = true;
        throw e;
      }
    }

    @Override
    public void close() throws IOException {
      out.close();
    }
  }
}
