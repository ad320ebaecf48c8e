package dev.kafkademo.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class StreamsAppTest {
  @Test
  void knowsItsRepartitionTopicSoThatCaughtUpWaitsForIt() {
    StreamsSettings settings = TopologyFixture.settings(3);

    assertEquals(
        List.of("my-app-" + CountsPerType.PARTIALS + "-repartition"),
        StreamsApp.repartitionTopics(
            UserEventsTopology.build(settings, Results.Listener.NONE, () -> {}), "my-app"));
  }
}
