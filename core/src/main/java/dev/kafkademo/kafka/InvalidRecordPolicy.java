package dev.kafkademo.kafka;

/** What the consumer does with a record that is not a valid event. */
public enum InvalidRecordPolicy {
  /** Report it and go on; its offset is committed with the others. */
  SKIP,
  /** Report it and stop, committing up to but not past it, so a fixed consumer starts there. */
  FAIL,
  /** Forward it to the dead-letter topic, and commit only once that write is acknowledged. */
  DLQ;

  /** As the options write it: skip, fail, dlq. */
  @Override
  public String toString() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
