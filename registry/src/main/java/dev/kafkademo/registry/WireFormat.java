package dev.kafkademo.registry;

import java.nio.ByteBuffer;

/**
 * Confluent's wire format for registry-backed values: a magic byte 0, the schema's id as 4 bytes
 * big-endian, then the Avro binary encoding. Readers fetch the writer's schema by that id.
 */
public final class WireFormat {
  public static final byte MAGIC = 0;

  /** Bytes before the Avro body. */
  public static final int HEADER_SIZE = 5;

  private WireFormat() {}

  public static byte[] header(int schemaId) {
    return ByteBuffer.allocate(HEADER_SIZE).put(MAGIC).putInt(schemaId).array();
  }

  /** Whether the value starts like a registry-framed one (a JSON value never starts with 0). */
  public static boolean framed(byte[] value) {
    return value != null && value.length >= HEADER_SIZE && value[0] == MAGIC;
  }

  public static int schemaId(byte[] value) {
    return ByteBuffer.wrap(value, 1, 4).getInt();
  }
}
