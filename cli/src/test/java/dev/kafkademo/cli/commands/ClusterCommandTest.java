package dev.kafkademo.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kafkademo.broker.LocalCluster;
import dev.kafkademo.support.Cli;
import dev.kafkademo.support.Ports;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What `cluster` refuses: one line, exit 2, and no process started or directory made. */
class ClusterCommandTest {
  @TempDir Path work;

  @Test
  void aTakenPortIsNamedBeforeAnythingStarts() throws IOException {
    Path dir = work.resolve("cluster");
    try (ServerSocket taken = new ServerSocket(0, 0, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort() - 1; // node 2 would get the taken one
      Cli.Result result =
          Cli.run("cluster", "start", "--port", "" + port, "--data-dir", dir.toString());

      assertEquals(2, result.exitCode(), result::toString);
      assertEquals(
          "error: Node 2's client port "
              + taken.getLocalPort()
              + " on 127.0.0.1 is already in use: is another broker running? Pick another --port"
              + " or --metrics-port",
          result.err().strip());
      assertFalse(Files.exists(dir), "nothing made");
    }
  }

  @Test
  void badCountsAndPortsAreOneLine() {
    Path dir = work.resolve("cluster");
    assertRefused(
        "--nodes must be between 1 and 9, got 0",
        "cluster",
        "start",
        "--nodes",
        "0",
        "--data-dir",
        dir.toString());
    assertRefused(
        "--port must leave room for 3 ports between 1 and 65535 (node N gets PORT+N-1), got 65534",
        "cluster",
        "start",
        "--port",
        "65534",
        "--data-dir",
        dir.toString());
    assertRefused(
        "--metrics-port 9093 overlaps the client ports 9092-9094",
        "cluster",
        "start",
        "--metrics-port",
        "9093",
        "--data-dir",
        dir.toString());
    assertFalse(Files.exists(dir), "nothing made");
  }

  @Test
  void aDirectoryWithOtherFilesOrNoClusterIsRefused() throws IOException {
    Files.writeString(work.resolve("notes.txt"), "mine");
    assertRefused(
        work + " holds other files and no cluster: give `cluster start` an empty or new --data-dir",
        "cluster",
        "start",
        "--port",
        "" + Ports.free(),
        "--data-dir",
        work.toString());
    Path none = work.resolve("none");
    assertRefused(
        "No cluster in "
            + none
            + " (it has no cluster.properties): start one with `cluster start --data-dir "
            + none
            + "`, or name the --data-dir it was started with",
        "cluster",
        "status",
        "--data-dir",
        none.toString());
  }

  @Test
  void aNodeThatDoesNotExistOrDoesNotRunIsNamed() throws IOException {
    Path dir = work.resolve("cluster");
    LocalCluster.create(dir, 3, Ports.free(), 0); // the layout only: nothing started

    assertRefused(
        "There is no node 4 in the cluster in " + dir + ": its nodes are 1 to 3",
        "cluster",
        "kill",
        "4",
        "--data-dir",
        dir.toString());
    assertRefused(
        "Node 2 is not running: see `cluster status`",
        "cluster",
        "kill",
        "2",
        "--data-dir",
        dir.toString());
    assertRefused(
        "The cluster in "
            + dir
            + " was made with --nodes 3: leave those flags out to start it"
            + " again, or give a new --data-dir",
        "cluster",
        "start",
        "--nodes",
        "5",
        "--data-dir",
        dir.toString());
    Cli.Result stop = Cli.run("cluster", "stop", "--data-dir", dir.toString());
    assertEquals(0, stop.exitCode(), stop::toString);
    assertTrue(stop.err().contains("No node of the cluster in " + dir + " is running."));
  }

  private static void assertRefused(String line, String... args) {
    Cli.Result result = Cli.run(args);
    assertEquals(2, result.exitCode(), result::toString);
    assertEquals("error: " + line, result.err().strip(), result::toString);
  }
}
