package dev.kafkademo.kafka;

import java.time.Duration;

/** No broker answered at the bootstrap address within the time allowed. */
public final class BrokerUnreachableException extends RuntimeException {
  private final String bootstrapServers;
  private final Duration timeout;

  public BrokerUnreachableException(String bootstrapServers, Duration timeout, Throwable cause) {
    super(
        "No Kafka broker answered at " + bootstrapServers + " within " + Durations.format(timeout),
        cause);
    this.bootstrapServers = bootstrapServers;
    this.timeout = timeout;
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  public Duration timeout() {
    return timeout;
  }
}
