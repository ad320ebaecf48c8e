package dev.kafkademo.backup;

import dev.kafkademo.registry.WireFormat;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The schema ids that records name in the registry's wire format (a 0 byte, then the id), counted
 * per topic and per key or value; and the rewriting of those ids when a restore's registry gave the
 * schemas other ones.
 */
final class SchemaIds {
  /** Records of a topic whose keys or values name schema {@code id}. */
  record Use(String topic, boolean key, int id, long count) {}

  private record Where(String topic, boolean key, int id) {}

  private final Map<Where, long[]> counts = new LinkedHashMap<>();

  void note(String topic, ConsumerRecord<byte[], byte[]> record) {
    note(topic, false, record.value());
    note(topic, true, record.key());
  }

  private void note(String topic, boolean key, byte[] bytes) {
    if (WireFormat.framed(bytes)) {
      counts
          .computeIfAbsent(new Where(topic, key, WireFormat.schemaId(bytes)), w -> new long[1])[
          0]++;
    }
  }

  List<Use> uses() {
    List<Use> uses = new ArrayList<>();
    counts.forEach((w, n) -> uses.add(new Use(w.topic(), w.key(), w.id(), n[0])));
    return uses;
  }

  /**
   * The bytes with the schema id replaced by its new one; the same array when they do not name an
   * id of {@code newIds}.
   */
  static byte[] rewrite(byte[] bytes, Map<Integer, Integer> newIds) {
    if (newIds.isEmpty() || !WireFormat.framed(bytes)) {
      return bytes;
    }
    Integer id = newIds.get(WireFormat.schemaId(bytes));
    if (id == null) {
      return bytes;
    }
    byte[] copy = bytes.clone();
    ByteBuffer.wrap(copy, 1, 4).putInt(id);
    return copy;
  }
}
