package dev.kafkademo.backup;

import java.util.HashMap;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * Where a group's committed offsets point once a partition is restored. A committed offset names
 * the next record to read; the restored log starts at its own base (0 for a new topic) and has no
 * gaps where the original had trimmed records, aborted transactions or transaction markers, so the
 * offset becomes that of the first restored record at or after it, and one past the end points past
 * the restored end.
 */
final class OffsetTranslation {
  private final TreeSet<Long> pending;
  private final long base;
  private final Map<Long, Long> translated = new HashMap<>();

  /**
   * @param committed the original offsets to translate
   * @param base the restored partition's offset of the backup's first record
   */
  OffsetTranslation(NavigableSet<Long> committed, long base) {
    this.pending = new TreeSet<>(committed);
    this.base = base;
  }

  /** The backup's record at {@code index} of its partition had {@code originalOffset}. */
  void passing(long originalOffset, long index) {
    while (!pending.isEmpty() && pending.first() <= originalOffset) {
      translated.put(pending.pollFirst(), base + index);
    }
  }

  /**
   * @param count the backup's records of the partition, all passed
   * @return each committed offset with its restored one
   */
  Map<Long, Long> finish(long count) {
    pending.forEach(offset -> translated.put(offset, base + count));
    pending.clear();
    return translated;
  }
}
