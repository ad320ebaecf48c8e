package dev.kafkademo.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kafkademo.sql.SqlScript.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

class SqlScriptTest {
  @Test
  void statementsEndAtSemicolonsAndKeepTheLineTheyStartOn() {
    assertEquals(
        List.of(
            new Statement("CREATE VIEW v AS SELECT * FROM user_events", 2),
            new Statement("SELECT userId\nFROM v", 4)),
        SqlScript.split(
            "-- two statements\nCREATE VIEW v AS SELECT * FROM user_events;\n\nSELECT userId\nFROM v;\n"));
  }

  @Test
  void semicolonsInQuotesAndCommentsDoNotEndAStatement() {
    assertEquals(
        List.of(
            new Statement("SELECT 'a;b', `c;d` FROM t -- not; the end\nWHERE x = 'it''s;'", 1),
            new Statement("SELECT /* ; */ 1", 3)),
        SqlScript.split(
            "SELECT 'a;b', `c;d` FROM t -- not; the end\nWHERE x = 'it''s;';\nSELECT /* ; */ 1"));
  }

  @Test
  void aScriptOfCommentsAndBlanksHoldsNoStatement() {
    assertEquals(List.of(), SqlScript.split("-- only a comment\n\n /* and another */ ;\n"));
  }
}
