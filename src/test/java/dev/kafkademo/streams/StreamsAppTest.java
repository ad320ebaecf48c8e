package dev.kafkademo.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamsAppTest {
  @Test
  void knowsItsRepartitionTopicSoThatCaughtUpWaitsForIt() {
    StreamsSettings settings =
        new StreamsSettings(
            "user-events",
            3,
            Duration.ofMinutes(1),
            Duration.ofSeconds(10),
            Duration.ofMinutes(30));

    assertEquals(
        List.of("my-app-" + CountsPerType.PARTIALS + "-repartition"),
        StreamsApp.repartitionTopics(
            UserEventsTopology.build(settings, Results.Listener.NONE, () -> {}), "my-app"));
  }
}
