package dev.kafkademo.registry;

import dev.kafkademo.events.EventDecoder;
import dev.kafkademo.events.EventJson;
import dev.kafkademo.events.InvalidEventException;
import dev.kafkademo.events.UserEvent;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * Reads Avro values in the registry's wire format (JSON ones go to {@link EventJson}: see {@link
 * EventDecoder#jsonOr}). Avro is read with the writer's schema, fetched from the registry by the id
 * in the value, and resolved to the reader's schema: fields the writer did not have get their
 * defaults, fields the reader does not have are dropped. Not thread-safe (one per consumer).
 */
public final class RegistryEventDecoder implements EventDecoder {
  private final RegistryClient registry;
  private volatile Schema readerSchema;
  private final Map<Integer, AvroEvents.Reader> readers = new ConcurrentHashMap<>();

  /**
   * @param registry where writer schemas are looked up
   * @param readerSchema what Avro values are read into; null: the bundled current version
   */
  public RegistryEventDecoder(RegistryClient registry, Schema readerSchema) {
    this.registry = registry;
    this.readerSchema = readerSchema;
  }

  /**
   * Gets ready for the topic's Avro values on a background thread, while the consumer joins its
   * group: the reader schema read, the subject's latest writer schema fetched and its reader built.
   * Reading a schema loads Avro and Jackson, and the registry is a round trip: a quarter of a
   * second that the first record would otherwise wait. Nothing is lost if it fails: {@link #decode}
   * does the same when it needs to.
   */
  public void prepare(String topic) {
    Thread warmUp =
        new Thread(
            () -> {
              try {
                if (readerSchema == null) {
                  readerSchema = AvroEvents.current();
                }
                int id = registry.latestId(RegistryEventEncoder.valueSubject(topic));
                readers.computeIfAbsent(
                    id,
                    known -> {
                      try {
                        return reader(known);
                      } catch (InvalidEventException e) {
                        throw new IllegalStateException(e);
                      }
                    });
              } catch (RuntimeException e) {
                // no subject yet, no registry: the first Avro record says so, if one comes
              }
            },
            "kafka-demo-avro-warm-up");
    warmUp.setDaemon(true);
    warmUp.start();
  }

  @Override
  public UserEvent decode(byte[] value) throws InvalidEventException {
    if (!WireFormat.framed(value)) {
      throw new InvalidEventException(
          "neither JSON nor Avro in the schema registry's wire format (it starts with a zero byte"
              + " but is shorter than the format's "
              + WireFormat.HEADER_SIZE
              + "-byte header)");
    }
    int id = WireFormat.schemaId(value);
    AvroEvents.Reader reader = readers.get(id);
    if (reader == null) {
      reader = reader(id);
      readers.put(id, reader);
    }
    return reader.decode(value, WireFormat.HEADER_SIZE, value.length - WireFormat.HEADER_SIZE);
  }

  private AvroEvents.Reader reader(int id) throws InvalidEventException {
    if (readerSchema == null) {
      readerSchema = AvroEvents.current();
    }
    String writerSchema;
    try {
      writerSchema = registry.schema(id);
    } catch (RegistryException e) {
      if (e.kind() == RegistryException.Kind.NOT_FOUND) {
        throw new InvalidEventException(
            "Avro with schema id " + id + ", which is not in the schema registry " + registry.url(),
            e);
      }
      // The registry away, or refusing us, is no fault of the record: it is not skipped and not
      // committed; the reader stops, and a rerun reads it once the registry answers.
      throw new RegistryException(
          e.kind(),
          "Cannot fetch the writer schema (id " + id + ") of an Avro record: " + e.getMessage(),
          e);
    }
    try {
      return new AvroEvents.Reader(AvroEvents.parse(writerSchema), readerSchema);
    } catch (SchemaParseException e) {
      throw new InvalidEventException(
          "schema id " + id + " is not an Avro record schema: " + e.getMessage(), e);
    }
  }
}
