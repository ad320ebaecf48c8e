package dev.kafkademo.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class QuorumVotersTest {
  @Test
  void readsKafkasVotersFormAndWritesItBack() {
    QuorumVoters quorum =
        QuorumVoters.parse("1@127.0.0.1:19101, 2@localhost:19102,3@127.0.0.1:19103");

    assertEquals(3, quorum.size());
    assertEquals(new QuorumVoters.Voter(2, "localhost", 19102), quorum.voter(2));
    assertEquals("1@127.0.0.1:19101,2@localhost:19102,3@127.0.0.1:19103", quorum.toString());
  }

  @Test
  void threeNodesKeepThreeCopiesAndNeedTwoInSync() {
    assertEquals(List.of(1, 1), copies("1@h:1"));
    assertEquals(List.of(2, 1), copies("1@h:1,2@h:2"));
    assertEquals(List.of(3, 2), copies("1@h:1,2@h:2,3@h:3"));
    assertEquals(List.of(3, 2), copies("1@h:1,2@h:2,3@h:3,4@h:4,5@h:5"));
  }

  @Test
  void aWrongEntryIsNamed() {
    assertEquals(
        "--controller-quorum takes ID@HOST:PORT entries separated by commas, such as"
            + " 1@127.0.0.1:19092,2@127.0.0.1:19093,3@127.0.0.1:19094; '2@127.0.0.1' is not one",
        assertThrows(IllegalArgumentException.class, () -> QuorumVoters.parse("1@h:1,2@127.0.0.1"))
            .getMessage());
    assertEquals(
        "--controller-quorum names node 1 twice",
        assertThrows(IllegalArgumentException.class, () -> QuorumVoters.parse("1@h:1,1@h:2"))
            .getMessage());
    assertEquals(
        "--node-id 4 is not in --controller-quorum 1@h:1,2@h:2",
        assertThrows(
                IllegalArgumentException.class,
                () -> new EmbeddedBroker.ClusterNode(4, 1, QuorumVoters.parse("1@h:1,2@h:2"), null))
            .getMessage());
  }

  private static List<Integer> copies(String voters) {
    QuorumVoters quorum = QuorumVoters.parse(voters);
    return List.of(quorum.replicationFactor(), quorum.minInsyncReplicas());
  }
}
