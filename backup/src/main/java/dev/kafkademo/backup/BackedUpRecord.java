package dev.kafkademo.backup;

import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.TimestampType;

/**
 * One record as a backup holds it: where it was (its offset in the original partition), when, and
 * its exact bytes.
 *
 * @param key null for a record without a key
 * @param value null for a tombstone
 */
public record BackedUpRecord(
    long offset,
    long timestamp,
    TimestampType timestampType,
    byte[] key,
    byte[] value,
    List<Header> headers) {}
