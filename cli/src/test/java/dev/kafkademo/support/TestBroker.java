package dev.kafkademo.support;

import dev.kafkademo.broker.EmbeddedBroker;
import java.io.IOException;
import java.io.UncheckedIOException;

/** One embedded broker for the whole test JVM, started on first use on a free port. */
public final class TestBroker {
  private static EmbeddedBroker broker;

  private TestBroker() {}

  public static synchronized String bootstrapServers() {
    if (broker == null) {
      try {
        broker = EmbeddedBroker.start(EmbeddedBroker.Settings.ephemeral());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "test-broker-stop"));
    }
    return broker.bootstrapServers();
  }
}
