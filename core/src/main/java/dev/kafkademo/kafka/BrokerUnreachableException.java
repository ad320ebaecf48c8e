package dev.kafkademo.kafka;

import java.time.Duration;

/** No broker answered at the bootstrap address within the time allowed. */
public final class BrokerUnreachableException extends RuntimeException {
  private final String bootstrapServers;
  private final Duration timeout;
  private final boolean speaksTls;

  public BrokerUnreachableException(String bootstrapServers, Duration timeout, Throwable cause) {
    this(bootstrapServers, timeout, cause, false);
  }

  /**
   * @param speaksTls the address answers TLS while this client spoke plaintext to it
   */
  public BrokerUnreachableException(
      String bootstrapServers, Duration timeout, Throwable cause, boolean speaksTls) {
    super(
        "No Kafka broker answered at " + bootstrapServers + " within " + Durations.format(timeout),
        cause);
    this.bootstrapServers = bootstrapServers;
    this.timeout = timeout;
    this.speaksTls = speaksTls;
  }

  /** Whether the address speaks TLS to a client that did not: the reason it seemed silent. */
  public boolean speaksTls() {
    return speaksTls;
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  public Duration timeout() {
    return timeout;
  }
}
