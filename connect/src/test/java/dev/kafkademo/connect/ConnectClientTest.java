package dev.kafkademo.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kafkademo.rest.HttpStub;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Connect REST client against an in-process server that answers as Connect does. */
class ConnectClientTest {
  private static final String REBALANCING =
      "{\"error_code\":409,\"message\":\"Cannot complete request because of a conflicting"
          + " operation (e.g. worker rebalance)\"}";

  @Test
  void listsEveryConnectorsStatusInOneRequest() throws Exception {
    try (HttpStub connect = new HttpStub()) {
      connect.answer(
          200,
          """
          {"sink": {"status": {"name": "sink", "type": "sink",
             "connector": {"state": "RUNNING", "worker_id": "127.0.0.1:8083"},
             "tasks": [{"id": 0, "state": "FAILED", "worker_id": "127.0.0.1:8083",
                        "trace": "org.apache.kafka.connect.errors.ConnectException: Exiting WorkerSinkTask\\n\\tat x\\nCaused by: org.postgresql.util.PSQLException: FATAL: the database system is shutting down"}]}},
           "cdc": {"status": {"name": "cdc", "type": "source",
             "connector": {"state": "PAUSED", "worker_id": "127.0.0.1:8083"}, "tasks": []}}}
          """);
      List<ConnectClient.Status> statuses =
          new ConnectClient(connect.url(), Duration.ofSeconds(5)).statuses();

      assertEquals(1, connect.requests().size(), "one request, not one per connector");
      assertEquals("/connectors?expand=status", connect.requests().get(0).pathAndQuery());
      assertEquals(List.of("cdc", "sink"), statuses.stream().map(s -> s.name()).toList());
      assertEquals("PAUSED", statuses.get(0).connector().state());
      assertEquals(List.of(), statuses.get(0).tasks());
      ConnectClient.State task = statuses.get(1).tasks().get(0);
      assertEquals(0, task.id());
      assertTrue(task.failed());
      assertEquals("127.0.0.1:8083", task.workerId());
      assertEquals(
          "ConnectException: Exiting WorkerSinkTask Cause: PSQLException: FATAL: the database"
              + " system is shutting down",
          task.failure());
    }
  }

  @Test
  void aRebalanceIsWaitedOutAndTheRequestAskedAgain() throws Exception {
    try (HttpStub connect = new HttpStub()) {
      connect.answer(409, REBALANCING).answer(409, REBALANCING).answer(201, "{}");
      boolean created =
          new ConnectClient(connect.url(), Duration.ofSeconds(10))
              .apply("sink", Map.of("connector.class", "x"));

      assertTrue(created);
      assertEquals(3, connect.requests().size());
      assertTrue(connect.requests().get(2).body().contains("\"name\":\"sink\""));
    }
  }

  @Test
  void aRebalanceLongerThanTheTimeoutEndsInConnectsMessage() throws Exception {
    try (HttpStub connect = new HttpStub()) {
      connect.answer(409, REBALANCING);
      ConnectClient client = new ConnectClient(connect.url(), Duration.ofSeconds(1));

      ConnectClient.ConnectException refused =
          assertThrows(
              ConnectClient.ConnectException.class, () -> client.restart("sink", true, true));
      assertEquals(409, refused.status());
      assertTrue(refused.getMessage().startsWith("Cannot complete request"), refused.getMessage());
      assertTrue(connect.requests().size() >= 2, "asked again before giving up");
    }
  }

  @Test
  void aConnectorJustCreatedIsAskedForItsStatusAgain() throws Exception {
    try (HttpStub connect = new HttpStub()) {
      connect
          .answer(404, "{\"error_code\":404,\"message\":\"No status found for connector sink\"}")
          .answer(
              200,
              "{\"name\":\"sink\",\"type\":\"sink\",\"connector\":{\"state\":\"RUNNING\","
                  + "\"worker_id\":\"127.0.0.1:8083\"},\"tasks\":[]}");
      ConnectClient.Status status =
          new ConnectClient(connect.url(), Duration.ofSeconds(10)).status("sink");

      assertEquals("RUNNING", status.connector().state());
      assertEquals(2, connect.requests().size());
    }
  }

  @Test
  void otherRefusalsAreNotAskedAgain() throws Exception {
    try (HttpStub connect = new HttpStub()) {
      connect.answer(404, "{\"error_code\":404,\"message\":\"Connector nope not found\"}");
      ConnectClient client = new ConnectClient(connect.url(), Duration.ofSeconds(5));

      ConnectClient.ConnectException refused =
          assertThrows(ConnectClient.ConnectException.class, () -> client.status("nope"));
      assertEquals(404, refused.status());
      assertEquals("Connector nope not found", refused.getMessage());
      assertEquals(1, connect.requests().size());
    }
  }

  @Test
  void aWorkerThatDoesNotAnswerIsSaidInOneLine() throws Exception {
    try (HttpStub connect = new HttpStub()) {
      connect.silence(Duration.ofSeconds(5));
      ConnectClient client = new ConnectClient(connect.url(), Duration.ofMillis(300));

      ConnectClient.ConnectException silent =
          assertThrows(ConnectClient.ConnectException.class, client::plugins);
      assertEquals(0, silent.status());
      assertEquals(
          "Kafka Connect at " + connect.url() + " did not answer within 300ms",
          silent.getMessage());
      assertFalse(silent.getMessage().contains("\n"));
    }
  }

  @Test
  void validationProblemsComeOnePerSetting() throws Exception {
    try (HttpStub connect = new HttpStub()) {
      connect.answer(
          200,
          """
          {"error_count": 1, "configs": [
            {"value": {"name": "tasks.max", "errors": ["Invalid value several for configuration tasks.max"]}},
            {"value": {"name": "topics", "errors": []}}]}
          """);
      List<ConnectClient.Problem> problems =
          new ConnectClient(connect.url(), Duration.ofSeconds(5))
              .validate(Map.of("connector.class", "io.debezium.connector.jdbc.JdbcSinkConnector"));

      assertEquals(
          List.of(
              new ConnectClient.Problem(
                  "tasks.max", "Invalid value several for configuration tasks.max")),
          problems);
      assertEquals(
          "/connector-plugins/io.debezium.connector.jdbc.JdbcSinkConnector/config/validate",
          connect.requests().get(0).pathAndQuery());
    }
  }
}
