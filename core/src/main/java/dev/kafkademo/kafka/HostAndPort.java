package dev.kafkademo.kafka;

/** One {@code host:port} of a bootstrap list. */
public record HostAndPort(String host, int port) {

  /** The address, or null when it is not {@code host:port} with a number for the port. */
  public static HostAndPort parse(String address) {
    String trimmed = address.trim();
    int colon = trimmed.lastIndexOf(':');
    if (colon < 1) {
      return null;
    }
    try {
      return new HostAndPort(
          trimmed.substring(0, colon), Integer.parseInt(trimmed.substring(colon + 1)));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The first address of a comma-separated bootstrap list, or null. */
  public static HostAndPort first(String bootstrapServers) {
    return bootstrapServers == null ? null : parse(bootstrapServers.split(",")[0]);
  }
}
