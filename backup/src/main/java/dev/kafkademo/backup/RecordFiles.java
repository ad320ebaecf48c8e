package dev.kafkademo.backup;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.avro.Schema;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.Encoder;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.TimestampType;

/**
 * A partition's records in a backup file: an Avro container file (a well-known format any Avro tool
 * reads: {@code avro-tools tojson}), its blocks compressed with zstd, one record per Kafka record.
 * Keys, values and headers are Avro {@code bytes}, exactly as they were in the log.
 */
public final class RecordFiles {
  /** The schema of every record in a backup file; a file with another one is not ours. */
  public static final Schema SCHEMA =
      new Schema.Parser()
          .parse(
              """
              {"type": "record", "name": "BackedUpRecord", "namespace": "dev.kafkademo.backup",
               "doc": "A Kafka record as it was in its partition",
               "fields": [
                 {"name": "offset", "type": "long", "doc": "in the original partition"},
                 {"name": "timestamp", "type": "long", "doc": "milliseconds since 1970 (UTC)"},
                 {"name": "timestampType", "type": {"type": "enum", "name": "TimestampType",
                   "symbols": ["CREATE_TIME", "LOG_APPEND_TIME", "NO_TIMESTAMP_TYPE"]}},
                 {"name": "key", "type": ["null", "bytes"]},
                 {"name": "value", "type": ["null", "bytes"]},
                 {"name": "headers", "type": {"type": "array", "items": {
                   "type": "record", "name": "Header", "fields": [
                     {"name": "key", "type": "string"},
                     {"name": "value", "type": ["null", "bytes"]}]}}}
               ]}
              """);

  public static final String EXTENSION = ".avro";

  /** Metadata in each file's header, so that a file alone says what it holds. */
  static final String TOPIC_META = "kafka.topic";

  static final String PARTITION_META = "kafka.partition";

  /** zstd's default level: most of the ratio for little CPU. */
  private static final int ZSTD_LEVEL = 3;

  /** Bigger blocks than Avro's 64 KiB: a better ratio, fewer block headers. */
  private static final int BLOCK_BYTES = 1 << 20;

  private RecordFiles() {}

  /** A file's name in its partition's folder: the offset of its first record, sortable. */
  public static String name(long firstOffset) {
    return String.format("%020d", firstOffset) + EXTENSION;
  }

  /**
   * Writes one file, under a temporary name until {@link #finish} so that an interrupted backup
   * leaves no file that looks whole.
   */
  public static final class Writer implements AutoCloseable {
    private final Path file;
    private final Path partial;
    private final MessageDigest digest = sha256();
    private final DataFileWriter<ConsumerRecord<byte[], byte[]>> avro;
    private long firstOffset = -1;
    private long lastOffset = -1;
    private long records;
    private long dataBytes;
    private boolean finished;

    public Writer(Path file, String topic, int partition) throws IOException {
      this.file = file;
      this.partial = file.resolveSibling(file.getFileName() + ".partial");
      Files.createDirectories(file.getParent());
      OutputStream out =
          new DigestOutputStream(new BufferedOutputStream(Files.newOutputStream(partial)), digest);
      avro =
          new DataFileWriter<>(new KafkaRecordWriter())
              .setCodec(CodecFactory.zstandardCodec(ZSTD_LEVEL, true))
              .setSyncInterval(BLOCK_BYTES);
      avro.setMeta(TOPIC_META, topic);
      avro.setMeta(PARTITION_META, partition);
      avro.create(SCHEMA, out);
    }

    public void append(ConsumerRecord<byte[], byte[]> record) throws IOException {
      avro.append(record);
      if (firstOffset < 0) {
        firstOffset = record.offset();
      }
      lastOffset = record.offset();
      records++;
      dataBytes += size(record);
    }

    public long records() {
      return records;
    }

    public long dataBytes() {
      return dataBytes;
    }

    /** Closes the file under its real name; what the manifest says of it. */
    public Manifest.FileEntry finish(Path backupDir) throws IOException {
      avro.close();
      finished = true;
      Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING);
      return new Manifest.FileEntry(
          backupDir.relativize(file).toString().replace('\\', '/'),
          firstOffset,
          lastOffset,
          records,
          Files.size(file),
          HexFormat.of().formatHex(digest.digest()));
    }

    /** Without {@link #finish}: the partial file is removed. */
    @Override
    public void close() throws IOException {
      if (!finished) {
        try {
          avro.close();
        } finally {
          Files.deleteIfExists(partial);
        }
      }
    }
  }

  /** Key, value and header bytes of a record, as the summary counts them. */
  static long size(ConsumerRecord<byte[], byte[]> record) {
    long size = Math.max(0, record.serializedKeySize()) + Math.max(0, record.serializedValueSize());
    for (Header header : record.headers()) {
      size += header.key().length() + (header.value() == null ? 0 : header.value().length);
    }
    return size;
  }

  /** The records of one file, in order. */
  public static final class Reader implements Iterator<BackedUpRecord>, AutoCloseable {
    private final DataFileStream<BackedUpRecord> avro;

    public Reader(Path file) throws IOException {
      InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
      try {
        avro = new DataFileStream<>(in, new BackedUpRecordReader());
      } catch (IOException | RuntimeException e) {
        in.close();
        throw e;
      }
      if (!avro.getSchema().equals(SCHEMA)) {
        avro.close();
        throw new IOException("not a kafka-demo backup file (its records have another schema)");
      }
    }

    @Override
    public boolean hasNext() {
      return avro.hasNext();
    }

    @Override
    public BackedUpRecord next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      try {
        return avro.next(null);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void close() throws IOException {
      avro.close();
    }
  }

  /** What a file holds by its own account: its checksum and the record counts of its blocks. */
  public record Contents(long records, long bytes, String sha256) {}

  /**
   * Reads a file once, through its checksum and its blocks' record counts, without decoding a
   * record (a flipped byte inside one is the checksum's to find).
   *
   * @throws IOException when it is not an Avro container file, or ends early
   */
  public static Contents contents(Path file) throws IOException {
    MessageDigest digest = sha256();
    long records = 0;
    try (InputStream in =
            new DigestInputStream(
                new BufferedInputStream(Files.newInputStream(file), 1 << 16), digest);
        DataFileStream<BackedUpRecord> avro =
            new DataFileStream<>(in, new BackedUpRecordReader())) {
      try {
        while (avro.hasNext()) {
          avro.nextBlock();
          records += avro.getBlockCount();
        }
      } catch (RuntimeException e) {
        // Avro says "Invalid sync!" and the like unchecked: it is a damaged file all the same.
        throw new IOException(e.getMessage(), e);
      }
      in.transferTo(OutputStream.nullOutputStream()); // anything after the last block counts too
    }
    return new Contents(records, Files.size(file), HexFormat.of().formatHex(digest.digest()));
  }

  /** A file's checksum alone, with no record counted (-1). */
  public static Contents checksum(Path file) throws IOException {
    MessageDigest digest = sha256();
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    return new Contents(-1, Files.size(file), HexFormat.of().formatHex(digest.digest()));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /** Writes Kafka's record straight into Avro's encoding, with no object in between. */
  private static final class KafkaRecordWriter
      implements DatumWriter<ConsumerRecord<byte[], byte[]>> {
    @Override
    public void setSchema(Schema schema) {}

    @Override
    public void write(ConsumerRecord<byte[], byte[]> record, Encoder out) throws IOException {
      out.writeLong(record.offset());
      out.writeLong(record.timestamp());
      out.writeEnum(symbol(record.timestampType()));
      writeNullable(out, record.key());
      writeNullable(out, record.value());
      Header[] headers = record.headers().toArray();
      out.writeArrayStart();
      out.setItemCount(headers.length);
      for (Header header : headers) {
        out.startItem();
        out.writeString(header.key());
        writeNullable(out, header.value());
      }
      out.writeArrayEnd();
    }

    private static void writeNullable(Encoder out, byte[] bytes) throws IOException {
      if (bytes == null) {
        out.writeIndex(0);
      } else {
        out.writeIndex(1);
        out.writeBytes(bytes);
      }
    }
  }

  private static final class BackedUpRecordReader implements DatumReader<BackedUpRecord> {
    @Override
    public void setSchema(Schema schema) {}

    @Override
    public BackedUpRecord read(BackedUpRecord reuse, Decoder in) throws IOException {
      long offset = in.readLong();
      long timestamp = in.readLong();
      TimestampType type = type(in.readEnum());
      byte[] key = readNullable(in);
      byte[] value = readNullable(in);
      List<Header> headers = new ArrayList<>();
      for (long n = in.readArrayStart(); n > 0; n = in.arrayNext()) {
        for (long i = 0; i < n; i++) {
          headers.add(new RecordHeader(in.readString(), readNullable(in)));
        }
      }
      return new BackedUpRecord(offset, timestamp, type, key, value, headers);
    }

    private static byte[] readNullable(Decoder in) throws IOException {
      if (in.readIndex() == 0) {
        return null;
      }
      ByteBuffer buffer = in.readBytes(null);
      byte[] bytes = new byte[buffer.remaining()];
      buffer.get(bytes);
      return bytes;
    }
  }

  /** The position of a timestamp type among the schema's symbols. */
  private static int symbol(TimestampType type) {
    return switch (type) {
      case CREATE_TIME -> 0;
      case LOG_APPEND_TIME -> 1;
      case NO_TIMESTAMP_TYPE -> 2;
    };
  }

  private static TimestampType type(int symbol) {
    return switch (symbol) {
      case 0 -> TimestampType.CREATE_TIME;
      case 1 -> TimestampType.LOG_APPEND_TIME;
      default -> TimestampType.NO_TIMESTAMP_TYPE;
    };
  }
}
