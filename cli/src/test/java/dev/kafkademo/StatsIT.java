package dev.kafkademo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kafkademo.support.Cli;
import dev.kafkademo.support.Names;
import dev.kafkademo.support.TestBroker;
import dev.kafkademo.support.Topics;
import java.util.List;
import org.junit.jupiter.api.Test;

/** --stats: periodic one-line views from the clients' own metrics, on stderr only. */
class StatsIT {
  private final String bootstrap = TestBroker.bootstrapServers();

  @Test
  void producerAndConsumerPrintRatesLatencyAndLagEverySecond() {
    String topic = Topics.create(bootstrap, 2);

    Cli.Result produced =
        Cli.run(
            "producer",
            "-b",
            bootstrap,
            "--topic",
            topic,
            "--count",
            "2500",
            "--rate",
            "1000",
            "--quiet",
            "--stats",
            "1");
    Cli.Result consumed =
        Cli.consumer(
            bootstrap,
            topic,
            Names.unique("group"),
            "--from-beginning",
            "--idle-timeout",
            "2s",
            "--format",
            "none",
            "--stats",
            "1");

    assertEquals(0, produced.exitCode(), produced::toString);
    List<String> producerStats =
        produced.errLines().stream().filter(l -> l.startsWith("stats: ")).toList();
    assertTrue(producerStats.size() >= 2, produced::toString);
    assertTrue(
        producerStats
            .get(0)
            .matches(
                "stats: [\\d,]+ events/s, \\d+\\.\\d\\d MB/s, ack latency p50 [\\d.]+ ms, p99 [\\d.]+ ms, max [\\d.]+ ms"),
        producerStats.get(0));
    assertEquals("", produced.out(), "stats never go to stdout");

    assertEquals(0, consumed.exitCode(), consumed::toString);
    List<String> consumerStats =
        consumed.errLines().stream().filter(l -> l.startsWith("stats: ")).toList();
    assertTrue(consumerStats.size() >= 1, consumed::toString);
    assertTrue(
        consumerStats.stream()
            .anyMatch(l -> l.matches("stats: .*, event age p50 \\d+ ms, p99 \\d+ ms, lag .*")),
        "the age of the events of an interval: " + consumed);
    assertTrue(
        consumerStats
            .get(consumerStats.size() - 1)
            .matches(
                "stats: [\\d,]+ events/s, event age .*, lag " + topic + "-0=0, " + topic + "-1=0"),
        "caught up at the end: " + consumed);
  }
}
