package dev.kafkademo.broker;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The controllers of a KRaft cluster with a fixed quorum, in Kafka's {@code
 * controller.quorum.voters} form: {@code ID@HOST:PORT,...}. Every node of the cluster is given the
 * same list.
 */
public record QuorumVoters(List<Voter> voters) {
  private static final Pattern VOTER = Pattern.compile("(\\d+)@([^:@,\\s]+):(\\d+)");

  /** One controller: its node id and the address of its controller listener. */
  public record Voter(int nodeId, String host, int port) {
    @Override
    public String toString() {
      return nodeId + "@" + host + ":" + port;
    }
  }

  public QuorumVoters {
    voters = List.copyOf(voters);
  }

  /**
   * Reads {@code ID@HOST:PORT,...}.
   *
   * @throws IllegalArgumentException saying which entry is wrong and what the form is
   */
  public static QuorumVoters parse(String text) {
    List<Voter> voters = new ArrayList<>();
    Set<Integer> ids = new HashSet<>();
    for (String entry : text.split(",", -1)) {
      Matcher m = VOTER.matcher(entry.trim());
      if (!m.matches()) {
        throw new IllegalArgumentException(
            "--controller-quorum takes ID@HOST:PORT entries separated by commas, such as"
                + " 1@127.0.0.1:19092,2@127.0.0.1:19093,3@127.0.0.1:19094; '"
                + entry.trim()
                + "' is not one");
      }
      Voter voter = new Voter(number(m.group(1), entry), m.group(2), number(m.group(3), entry));
      if (voter.port() < 1 || voter.port() > 65535) {
        throw new IllegalArgumentException(
            "--controller-quorum: the port in '" + entry.trim() + "' is not between 1 and 65535");
      }
      if (!ids.add(voter.nodeId())) {
        throw new IllegalArgumentException(
            "--controller-quorum names node " + voter.nodeId() + " twice");
      }
      voters.add(voter);
    }
    return new QuorumVoters(voters);
  }

  private static int number(String digits, String entry) {
    try {
      return Integer.parseInt(digits);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "--controller-quorum: '" + entry.trim() + "' has a number that is too large");
    }
  }

  /** The voter with this node id, or null. */
  public Voter voter(int nodeId) {
    return voters.stream().filter(v -> v.nodeId() == nodeId).findFirst().orElse(null);
  }

  public int size() {
    return voters.size();
  }

  /**
   * The replication factor a cluster of this many nodes gives new topics and internal topics: three
   * copies where it can, as the Compose cluster does.
   */
  public int replicationFactor() {
    return Math.min(3, voters.size());
  }

  /**
   * A write with {@code acks=all} needs two copies in sync once there are three, so one node can be
   * down without stopping producers or losing what they were told was written.
   */
  public int minInsyncReplicas() {
    return replicationFactor() >= 3 ? 2 : 1;
  }

  @Override
  public String toString() {
    return voters.stream().map(Voter::toString).collect(Collectors.joining(","));
  }
}
