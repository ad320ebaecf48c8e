package dev.kafkademo.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class UserEventsTableTest {
  @Test
  void theTableReadsTheTopicWithTheClientSettingsAndAWatermarkGraceBehind() {
    Properties client = new Properties();
    client.setProperty("bootstrap.servers", "localhost:9092");
    client.setProperty("sasl.jaas.config", "... password='it''s';");
    client.setProperty("group.id", "set by the connector, left out");

    String ddl =
        UserEventsTable.definition(
            "user-events",
            client,
            new UserEventsTable.Registry(
                "http://127.0.0.1:8081/apis/ccompat/v7", "reader:secret", Duration.ofSeconds(5)),
            true,
            true,
            Duration.ofSeconds(10),
            true);

    assertTrue(ddl.startsWith("CREATE TABLE user_events ("), ddl);
    assertTrue(
        ddl.contains(
            "WATERMARK FOR event_time AS event_time - INTERVAL '0 00:00:10.000' DAY TO SECOND(3)"),
        ddl);
    for (String option :
        new String[] {
          "'topic' = 'user-events'",
          "'properties.bootstrap.servers' = 'localhost:9092'",
          "'properties.sasl.jaas.config' = '... password=''it''''s'';'",
          "'scan.startup.mode' = 'earliest-offset'",
          "'scan.bounded.mode' = 'latest-offset'",
          "'format' = 'user-events'",
          "'user-events.skip-invalid' = 'true'",
          "'user-events.schema-registry.url' = 'http://127.0.0.1:8081/apis/ccompat/v7'",
          "'user-events.schema-registry.user-info' = 'reader:secret'",
          "'user-events.schema-registry.timeout' = '5000 ms'"
        }) {
      assertTrue(ddl.contains(option), option + " in " + ddl);
    }
    assertFalse(ddl.contains("group.id"), ddl);
    assertFalse(ddl.contains("interceptor"), "positions only kept where a record fails: " + ddl);
  }

  @Test
  void runningOnTheTableHasNoEndAndCanStartAtTheLatestEvent() {
    String ddl =
        UserEventsTable.definition(
            "t", new Properties(), null, false, false, Duration.ofMillis(1500), false);
    assertTrue(ddl.contains("'scan.startup.mode' = 'latest-offset'"), ddl);
    assertFalse(ddl.contains("scan.bounded.mode"), ddl);
    assertTrue(ddl.contains("'user-events.skip-invalid' = 'false'"), ddl);
    assertTrue(
        ddl.contains("'properties.interceptor.classes' = '" + RecordPositions.class.getName()),
        "the failing record named by its position: " + ddl);
    assertFalse(ddl.contains("schema-registry"), "no registry named: " + ddl);
    assertEquals(
        "INTERVAL '1 02:03:04.005' DAY TO SECOND(3)",
        UserEventsTable.interval(Duration.parse("P1DT2H3M4.005S")));
  }
}
