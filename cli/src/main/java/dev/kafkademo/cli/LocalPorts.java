package dev.kafkademo.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Ports a command will listen on, checked before it sets anything up. */
public final class LocalPorts {
  private LocalPorts() {}

  /**
   * Fails with {@code inUse} (exit 1) when {@code host:port} cannot be bound now: said in one line
   * before anything is created, rather than after a broker, Streams or Connect is set up.
   */
  public static void requireFree(String host, int port, String inUse) {
    try (ServerSocket probe = new ServerSocket()) {
      probe.bind(new InetSocketAddress(InetAddress.getByName(host), port));
    } catch (IOException e) {
      throw new CliException(inUse, ExitCodes.FAILURE, e);
    }
  }
}
