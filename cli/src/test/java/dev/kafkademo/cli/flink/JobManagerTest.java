package dev.kafkademo.cli.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class JobManagerTest {
  @Test
  void theRootCauseIsTheLastCausedByOfTheTrace() {
    String trace =
        "org.apache.flink.runtime.JobException: Recovery is suppressed by NoRestartBackoffTimeStrategy\n"
            + "\tat org.apache.flink.runtime.executiongraph.failover.ExecutionFailureHandler.handleFailure(ExecutionFailureHandler.java:219)\n"
            + "Caused by: java.io.IOException: Failed to deserialize consumer record\n"
            + "\tat org.apache.flink.connector.kafka.source.reader.KafkaRecordEmitter.emitRecord(KafkaRecordEmitter.java:59)\n"
            + "Caused by: dev.kafkademo.sql.UnreadableRecordException: Record t-0@3 is not a user event: not valid JSON\n"
            + "\t... 14 more\n";
    assertEquals(
        "dev.kafkademo.sql.UnreadableRecordException: Record t-0@3 is not a user event: not valid JSON",
        JobManager.rootCauseOf(trace));
    assertEquals(
        "java.lang.IllegalStateException: alone",
        JobManager.rootCauseOf("java.lang.IllegalStateException: alone\n\tat x.y(Z.java:1)"));
  }

  @Test
  void aCauseReadsWithTheSimpleNameOfItsClass() {
    assertEquals(
        "Record t-0@3 is not a user event: not valid JSON",
        JobManager.withoutPackage(
            "dev.kafkademo.sql.UnreadableRecordException: Record t-0@3 is not a user event: not valid JSON"));
    assertEquals(
        "TimeoutException: Timed out waiting for a node assignment. Call: describeTopics",
        JobManager.withoutPackage(
            "org.apache.kafka.common.errors.TimeoutException: Timed out waiting for a node assignment. Call: describeTopics"));
    assertEquals("OutOfMemoryError", JobManager.withoutPackage("java.lang.OutOfMemoryError"));
    assertEquals("no class here: a.b", JobManager.withoutPackage("no class here: a.b"));
  }

  @Test
  void aClusterOfTheSameMinorVersionTakesTheJobs() {
    assertTrue(JobManager.compatible("2.2.1", "2.2.1"));
    assertTrue(JobManager.compatible("2.2.1", "2.2.0"));
    assertFalse(JobManager.compatible("2.2.1", "2.1.1"));
    assertFalse(JobManager.compatible("2.2.1", "1.20.3"));
  }

  @Test
  void theAddressIsHostAndPort() {
    JobManager jobManager = new JobManager(" flink-jobmanager:8082 ", Duration.ofSeconds(1));
    assertEquals("flink-jobmanager", jobManager.host());
    assertEquals(8082, jobManager.port());
    for (String wrong : new String[] {"localhost", "http://localhost:8082", "a:b", ""}) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class, () -> new JobManager(wrong, Duration.ofSeconds(1)));
      assertTrue(e.getMessage().contains("HOST:PORT"), e::getMessage);
    }
  }
}
