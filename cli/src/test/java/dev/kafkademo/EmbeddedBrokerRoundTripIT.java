package dev.kafkademo;

import dev.kafkademo.support.TestBroker;

/** The round trip against the broker the jar itself runs: always, no Docker needed. */
class EmbeddedBrokerRoundTripIT extends RoundTripContract {
  @Override
  protected String bootstrapServers() {
    return TestBroker.bootstrapServers();
  }
}
