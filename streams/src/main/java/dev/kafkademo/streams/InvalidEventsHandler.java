package dev.kafkademo.streams;

import dev.kafkademo.kafka.InvalidRecordPolicy;
import dev.kafkademo.kafka.consume.DeadLetterQueue;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;

/**
 * Records that are not valid events, as the consumer treats them: skipped, sent to the dead-letter
 * topic with the same dlq.* headers (Kafka Streams writes them, in the transaction under
 * exactly-once), or the application stops there. Configured through the Streams properties, where
 * {@link #CONFIG} holds the {@link Policy}.
 */
public final class InvalidEventsHandler implements DeserializationExceptionHandler {
  /** The Streams property that carries this application's {@link Policy} object. */
  public static final String CONFIG = "kafka-demo.invalid-events";

  /** What to do with invalid records, and whom to tell. */
  public record Policy(InvalidRecordPolicy action, String deadLetterTopic, Listener listener) {}

  /** Told about each invalid record; called on a stream thread. */
  public interface Listener {
    void invalid(ConsumerRecord<byte[], byte[]> record, String reason, InvalidRecordPolicy action);
  }

  private Policy policy;

  @Override
  public void configure(Map<String, ?> configs) {
    policy = (Policy) configs.get(CONFIG);
    if (policy == null) {
      throw new IllegalStateException(CONFIG + " is not set");
    }
  }

  @Override
  public Response handleError(
      ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
    String reason = exception.getMessage();
    policy.listener().invalid(record, reason, policy.action());
    return switch (policy.action()) {
      case SKIP -> Response.resume();
      case DLQ ->
          Response.resume(
              List.of(DeadLetterQueue.copyOf(record, reason, policy.deadLetterTopic())));
      case FAIL -> Response.fail();
    };
  }
}
