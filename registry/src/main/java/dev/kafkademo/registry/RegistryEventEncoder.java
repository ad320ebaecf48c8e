package dev.kafkademo.registry;

import dev.kafkademo.events.EventEncoder;
import dev.kafkademo.events.InvalidEventException;
import dev.kafkademo.events.UserEvent;
import org.apache.avro.Schema;

/**
 * Writes events as Avro in the registry's wire format, with the id of one schema: registered under
 * the subject when the encoder is made (or only looked up there), then never asked again, so the
 * registry is not on the path of every record. Not thread-safe.
 */
public final class RegistryEventEncoder implements EventEncoder {
  private final int schemaId;
  private final byte[] header;
  private final AvroEvents.Writer writer;

  /**
   * @param register register the schema if the subject does not have it yet; otherwise it must be
   *     registered already
   * @throws RegistryException NOT_FOUND when the schema is not registered and may not be
   */
  public RegistryEventEncoder(
      RegistryClient registry, String subject, Schema schema, boolean register) {
    String text = schema.toString();
    if (register) {
      schemaId = registry.register(subject, text);
    } else {
      schemaId =
          registry
              .lookup(subject, text)
              .orElseThrow(
                  () ->
                      new RegistryException(
                          RegistryException.Kind.NOT_FOUND,
                          "schema "
                              + schema.getFullName()
                              + " is not registered under subject "
                              + subject
                              + " (register it with 'schemas register' or leave out"
                              + " --no-auto-register)",
                          null))
              .id();
    }
    this.header = WireFormat.header(schemaId);
    this.writer = new AvroEvents.Writer(schema);
  }

  public int schemaId() {
    return schemaId;
  }

  @Override
  public byte[] encode(UserEvent event) throws InvalidEventException {
    return writer.encode(header, event);
  }

  /** The subject of a topic's values, as Confluent's default naming strategy has it. */
  public static String valueSubject(String topic) {
    return topic + "-value";
  }
}
