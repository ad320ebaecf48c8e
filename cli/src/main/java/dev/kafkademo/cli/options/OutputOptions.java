package dev.kafkademo.cli.options;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.kafkademo.events.EventJson;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --output table|json}: tables for people, JSON for scripts (one document on stdout). */
public final class OutputOptions {
  /** The two ways to print a result. */
  public enum Format {
    table,
    json
  }

  @Option(
      names = {"-o", "--output"},
      paramLabel = "table|json",
      defaultValue = "table",
      description = "table for people (default), json for scripts.")
  public Format format;

  public boolean json() {
    return format == Format.json;
  }

  public static void printJson(PrintWriter out, Object value) {
    try {
      out.println(EventJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(value));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Columns padded to their widest cell, like the Kafka tools print them. */
  public static void printTable(PrintWriter out, List<String> header, List<List<String>> rows) {
    List<List<String>> all = new ArrayList<>();
    all.add(header);
    all.addAll(rows);
    int[] widths = new int[header.size()];
    for (List<String> row : all) {
      for (int i = 0; i < row.size(); i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    for (List<String> row : all) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        line.append(
            i + 1 < row.size()
                ? String.format("%-" + (widths[i] + 2) + "s", row.get(i))
                : row.get(i));
      }
      out.println(line.toString().stripTrailing());
    }
  }
}
