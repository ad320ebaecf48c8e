package dev.kafkademo.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kafkademo.sql.SqlScript;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What can be checked of the ksqlDB walkthrough (docs/sql.md) without ksqlDB: the page shows only
 * statements that are in the files, and the files hold what the walkthrough relies on.
 */
class KsqlFilesTest {
  private static final Pattern SQL_BLOCK = Pattern.compile("```sql\n(.*?)```", Pattern.DOTALL);

  @Test
  void everyKsqlStatementTheSqlPageShowsIsInTheKsqlFiles() throws IOException {
    String page = Files.readString(Path.of("docs", "sql.md"));
    int start = page.indexOf("## ksqlDB");
    assertTrue(start >= 0, "docs/sql.md has a ksqlDB section");
    String section = page.substring(start, page.indexOf("\n## ", start + 1));
    List<String> inFiles = new ArrayList<>();
    for (String file : List.of("ksql/user-events.sql", "ksql/queries.sql")) {
      SqlScript.split(Files.readString(Path.of(file)))
          .forEach(statement -> inFiles.add(normalized(statement.text())));
    }
    List<String> shown = new ArrayList<>();
    Matcher block = SQL_BLOCK.matcher(section);
    while (block.find()) {
      SqlScript.split(block.group(1)).forEach(statement -> shown.add(statement.text()));
    }
    assertFalse(shown.isEmpty(), "the section shows statements");
    for (String statement : shown) {
      Matcher script = Pattern.compile("RUN SCRIPT '/ksql/(.+)'").matcher(statement);
      if (script.matches()) {
        assertTrue(Files.isRegularFile(Path.of("ksql", script.group(1))), statement);
      } else {
        assertTrue(inFiles.contains(normalized(statement)), "in ksql/: " + statement);
      }
    }
  }

  /**
   * The script that RUN SCRIPT runs holds only what RUN SCRIPT accepts (no SELECT of its own),
   * reads the topic from its start, in event time, and makes the three tables the queries read.
   */
  @Test
  void theScriptMakesTheStreamAndTheThreeTablesTheQueriesRead() throws IOException {
    List<String> script = new ArrayList<>();
    SqlScript.split(Files.readString(Path.of("ksql/user-events.sql")))
        .forEach(statement -> script.add(normalized(statement.text())));
    assertEquals("SET 'auto.offset.reset' = 'earliest'", script.get(0));
    for (String statement : script) {
      assertTrue(
          statement.startsWith("SET ") || statement.startsWith("CREATE "),
          "RUN SCRIPT takes it: " + statement);
    }
    String stream = script.get(1);
    assertTrue(stream.startsWith("CREATE STREAM IF NOT EXISTS user_events ("), stream);
    assertTrue(stream.contains("KAFKA_TOPIC = 'user-events'"), stream);
    assertTrue(stream.contains("`timestamp` VARCHAR"), stream);
    assertTrue(stream.contains("TIMESTAMP = '`timestamp`'"), "event time: " + stream);
    String queries = Files.readString(Path.of("ksql/queries.sql"));
    for (String table : List.of("events_per_type", "revenue_per_user", "sessions_per_user")) {
      assertTrue(
          script.stream()
              .anyMatch(s -> s.startsWith("CREATE TABLE IF NOT EXISTS " + table + " AS")),
          table);
      assertTrue(queries.contains("FROM " + table), "queried: " + table);
    }
  }

  private static String normalized(String statement) {
    return statement.replaceAll("--[^\n]*", "").replaceAll("\\s+", " ").strip();
  }
}
