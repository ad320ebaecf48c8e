package dev.kafkademo.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FlinkSqlTest {
  @Test
  void aJobIsNamedForItsStatementOnOneLine() {
    assertEquals(
        "kafka-demo: SELECT eventType, COUNT(*) FROM user_events GROUP BY eventType",
        FlinkSql.jobName(
            "\n  SELECT eventType, COUNT(*)\n  FROM user_events\n  GROUP BY eventType\n"));
    String long_ =
        "SELECT userId, currency, SUM(properties.amount) AS total, COUNT(*) AS purchases FROM"
            + " user_events WHERE eventType = 'purchase' GROUP BY userId, currency";
    String name = FlinkSql.jobName(long_);
    assertEquals(
        "kafka-demo: SELECT userId, currency, SUM(properties.amount) AS total, COUNT(*) AS purchases ...",
        name);
  }
}
