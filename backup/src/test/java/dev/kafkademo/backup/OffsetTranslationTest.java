package dev.kafkademo.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** A committed offset keeps pointing at the same record after a restore renumbers them. */
class OffsetTranslationTest {
  @Test
  void pointsAtTheSameRecordAcrossGapsAndATrimmedStart() {
    // The backup's records had offsets 100..102, then 105..106: 103 and 104 were an aborted
    // transaction's record and its marker; 0..99 had been deleted.
    long[] originals = {100, 101, 102, 105, 106};
    OffsetTranslation translation =
        new OffsetTranslation(new TreeSet<>(List.of(0L, 101L, 103L, 105L, 107L)), 0);
    for (int i = 0; i < originals.length; i++) {
      translation.passing(originals[i], i);
    }
    assertEquals(
        Map.of(
            0L, 0L, // before the trimmed start: the first record there is
            101L, 1L,
            103L, 3L, // the aborted record: the next committed one, 105
            105L, 3L,
            107L, 5L), // after the last record: the restored end
        translation.finish(originals.length));
  }

  @Test
  void addsTheBaseOfAPartitionAppendedTo() {
    OffsetTranslation translation = new OffsetTranslation(new TreeSet<>(List.of(6L)), 40);
    for (int i = 0; i < 10; i++) {
      translation.passing(i, i);
    }
    assertEquals(Map.of(6L, 46L), translation.finish(10));
  }
}
