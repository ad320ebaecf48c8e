package dev.kafkademo.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * A script split into its statements at the semicolons that end them: not those inside quotes
 * ('text', `name`, "name") or comments (-- to the end of the line, block comments). Each statement
 * keeps the line it starts on, so that an error's position can name the line of the file.
 *
 * <p>Written here because Flink runs one statement per call and its parser, in the planner's own
 * class loader, is not reachable from the API; Flink's SQL client splits the same way.
 */
public final class SqlScript {
  private SqlScript() {}

  /**
   * One statement, without its semicolon.
   *
   * @param line the line of the script it starts on, from 1
   */
  public record Statement(String text, int line) {}

  public static List<Statement> split(String script) {
    List<Statement> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    int line = 1;
    int startLine = -1;
    int i = 0;
    while (i < script.length()) {
      char c = script.charAt(i);
      int end = i + 1;
      if (c == '\'' || c == '`' || c == '"') {
        end = closingQuote(script, i, c);
      } else if (c == '-' && script.startsWith("--", i)) {
        int newline = script.indexOf('\n', i);
        end = newline < 0 ? script.length() : newline;
      } else if (c == '/' && script.startsWith("/*", i)) {
        int close = script.indexOf("*/", i + 2);
        end = close < 0 ? script.length() : close + 2;
      } else if (c == ';') {
        add(statements, current, startLine);
        current.setLength(0);
        startLine = -1;
        i++;
        continue;
      }
      String part = script.substring(i, end);
      if (startLine < 0 && !part.isBlank() && !isComment(part)) {
        startLine = line;
      }
      if (startLine >= 0) {
        current.append(part);
      }
      line += (int) part.chars().filter(ch -> ch == '\n').count();
      i = end;
    }
    add(statements, current, startLine);
    return statements;
  }

  private static boolean isComment(String part) {
    return part.startsWith("--") || part.startsWith("/*");
  }

  /** Past the quote that closes the one at {@code open}; a doubled quote is an escaped one. */
  private static int closingQuote(String script, int open, char quote) {
    int i = open + 1;
    while (i < script.length()) {
      if (script.charAt(i) == quote) {
        if (i + 1 < script.length() && script.charAt(i + 1) == quote) {
          i += 2;
          continue;
        }
        return i + 1;
      }
      i++;
    }
    return script.length();
  }

  private static void add(List<Statement> statements, StringBuilder text, int line) {
    String statement = text.toString().strip();
    if (!statement.isEmpty()) {
      statements.add(new Statement(statement, line));
    }
  }
}
