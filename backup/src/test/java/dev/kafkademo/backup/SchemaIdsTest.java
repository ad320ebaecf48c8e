package dev.kafkademo.backup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.kafkademo.registry.WireFormat;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Records name their schema by the registry's id; a restore that got new ids rewrites them. */
class SchemaIdsTest {
  private static byte[] framed(int id, byte... body) {
    return ByteBuffer.allocate(WireFormat.HEADER_SIZE + body.length)
        .put(WireFormat.header(id))
        .put(body)
        .array();
  }

  @Test
  void rewritesTheIdAndLeavesTheBody() {
    byte[] original = framed(5, (byte) 2, (byte) 4);
    byte[] rewritten = SchemaIds.rewrite(original, Map.of(5, 1));
    assertArrayEquals(framed(1, (byte) 2, (byte) 4), rewritten);
    assertArrayEquals(framed(5, (byte) 2, (byte) 4), original); // the backup's bytes untouched
  }

  @Test
  void leavesWhatNamesNoChangedId() {
    byte[] json = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
    byte[] otherId = framed(9, (byte) 1);
    assertSame(json, SchemaIds.rewrite(json, Map.of(5, 1)));
    assertSame(otherId, SchemaIds.rewrite(otherId, Map.of(5, 1)));
    assertSame(null, SchemaIds.rewrite(null, Map.of(5, 1)));
  }
}
