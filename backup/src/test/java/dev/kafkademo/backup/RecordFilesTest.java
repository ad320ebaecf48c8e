package dev.kafkademo.backup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A backup file gives back every record's exact bytes, and a verification finds any damage. */
class RecordFilesTest {
  @TempDir Path dir;

  private static ConsumerRecord<byte[], byte[]> record(
      long offset,
      long timestamp,
      TimestampType type,
      byte[] key,
      byte[] value,
      Header... headers) {
    return new ConsumerRecord<>(
        "orders",
        2,
        offset,
        timestamp,
        type,
        key == null ? -1 : key.length,
        value == null ? -1 : value.length,
        key,
        value,
        new RecordHeaders(headers),
        Optional.empty());
  }

  private static final List<ConsumerRecord<byte[], byte[]>> RECORDS =
      List.of(
          record(
              7,
              1_764_000_000_000L,
              TimestampType.CREATE_TIME,
              "u1".getBytes(StandardCharsets.UTF_8),
              "{\"a\":1}".getBytes(StandardCharsets.UTF_8),
              new RecordHeader("trace", new byte[] {0, 1, (byte) 0xff}),
              new RecordHeader("empty", null)),
          record(9, 1_764_000_000_001L, TimestampType.LOG_APPEND_TIME, null, new byte[] {0, 0, 0}),
          record(10, -1, TimestampType.NO_TIMESTAMP_TYPE, new byte[0], null));

  private Manifest.FileEntry write() throws IOException {
    Path file = dir.resolve("orders/2").resolve(RecordFiles.name(7));
    try (RecordFiles.Writer writer = new RecordFiles.Writer(file, "orders", 2)) {
      for (ConsumerRecord<byte[], byte[]> record : RECORDS) {
        writer.append(record);
      }
      return writer.finish(dir);
    }
  }

  @Test
  void recordsComeBackExactlyAsTheyWere() throws IOException {
    Manifest.FileEntry entry = write();
    assertEquals("orders/2/00000000000000000007.avro", entry.file());
    assertEquals(7, entry.firstOffset());
    assertEquals(10, entry.lastOffset());
    assertEquals(3, entry.records());

    List<BackedUpRecord> read = new ArrayList<>();
    try (RecordFiles.Reader reader = new RecordFiles.Reader(dir.resolve(entry.file()))) {
      reader.forEachRemaining(read::add);
    }
    assertEquals(RECORDS.size(), read.size());
    for (int i = 0; i < RECORDS.size(); i++) {
      ConsumerRecord<byte[], byte[]> original = RECORDS.get(i);
      BackedUpRecord copy = read.get(i);
      assertEquals(original.offset(), copy.offset());
      assertEquals(original.timestamp(), copy.timestamp());
      assertEquals(original.timestampType(), copy.timestampType());
      assertArrayEquals(original.key(), copy.key());
      assertArrayEquals(original.value(), copy.value());
      assertEquals(List.of(original.headers().toArray()), copy.headers());
    }
    assertNull(read.get(1).key());
    assertNull(read.get(2).value());
    assertNull(read.get(0).headers().get(1).value());
  }

  @Test
  void aStoppedWriterLeavesNoFileThatLooksWhole() throws IOException {
    Path file = dir.resolve("orders/2").resolve(RecordFiles.name(7));
    try (RecordFiles.Writer writer = new RecordFiles.Writer(file, "orders", 2)) {
      writer.append(RECORDS.get(0));
    }
    try (var files = Files.walk(dir)) {
      assertEquals(List.of(), files.filter(Files::isRegularFile).toList());
    }
  }

  @Test
  void verificationNamesADamagedOrMissingFile() throws IOException {
    Manifest.FileEntry entry = write();
    Manifest manifest =
        new Manifest(
            Manifest.FORMAT,
            "cluster",
            List.of(),
            List.of(
                new Manifest.TopicBackup(
                    "orders",
                    "id",
                    3,
                    1,
                    Map.of(),
                    List.of(new Manifest.PartitionBackup(2, 11, List.of(entry))))),
            List.of(),
            List.of());
    manifest.write(dir);
    Verification.Report whole = Verification.verify(dir);
    assertTrue(whole.ok(), whole.problems().toString());
    assertEquals(3, whole.records());

    Path file = dir.resolve(entry.file());
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 2] ^= 1;
    Files.write(file, bytes);
    assertEquals(
        List.of(entry.file() + " is damaged: its SHA-256 differs from the manifest's"),
        Verification.verify(dir).problems());

    Files.delete(file);
    assertEquals(List.of(entry.file() + " is missing"), Verification.verify(dir).problems());
  }

  @Test
  void aManifestReadsBackAsItWasWritten() throws IOException {
    Manifest.FileEntry entry = write();
    Manifest manifest =
        new Manifest(
            Manifest.FORMAT,
            "cluster",
            List.of(new Manifest.Run("2026-12-05T10:00:00Z", 3, entry.bytes(), 1)),
            List.of(
                new Manifest.TopicBackup(
                    "orders",
                    "id",
                    3,
                    1,
                    Map.of("retention.ms", "86400000"),
                    List.of(new Manifest.PartitionBackup(2, 11, List.of(entry))))),
            List.of(new Manifest.GroupOffsets("g", List.of(new Manifest.Position("orders", 2, 9)))),
            List.of(new Manifest.SavedSchema("orders", false, 4, "orders-value", "\"string\"")));
    manifest.write(dir);
    assertEquals(manifest, Manifest.read(dir));
  }
}
