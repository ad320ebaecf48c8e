package dev.kafkademo.streams;

import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.kstream.internals.SessionWindow;

/**
 * The one place that names a Kafka Streams internal: a session store is keyed by a {@link Windowed}
 * key whose window is the session's start and end, and the only {@code Window} for that is {@code
 * kstream.internals.SessionWindow}; Streams has no public one.
 */
final class SessionKeys {
  private SessionKeys() {}

  static Windowed<String> of(String user, long start, long end) {
    return new Windowed<>(user, new SessionWindow(start, end));
  }
}
