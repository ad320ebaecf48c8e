package dev.kafkademo.kafka.consume;

import dev.kafkademo.events.EventType;
import java.time.Duration;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.apache.kafka.common.TopicPartition;

/**
 * What a consume run did.
 *
 * @param processed valid events processed and shown
 * @param filtered records read and processed but not shown: the filter said no
 * @param skipped records that were not valid events, reported and skipped
 * @param deadLettered records that were not valid events, forwarded to the dead-letter topic
 * @param stoppedAt where and why an invalid record stopped the run ({@code --on-error fail}), or
 *     null
 * @param outputClosed true when the run stopped because its output could no longer be written
 * @param perType processed events per type
 * @param ageMillis per processed event, from the record's timestamp to its processing
 * @param committed the offsets committed for the group at the end: the next offset to read
 * @param commitFailure why the final commit failed (the group reads again from its last committed
 *     offsets), or null
 */
public record ConsumeResult(
    long processed,
    long filtered,
    long skipped,
    long deadLettered,
    String stoppedAt,
    boolean outputClosed,
    Map<EventType, Long> perType,
    Map<TopicPartition, Long> committed,
    String commitFailure,
    Duration elapsed,
    Histogram ageMillis) {}
