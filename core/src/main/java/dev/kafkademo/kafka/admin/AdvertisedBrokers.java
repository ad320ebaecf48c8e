package dev.kafkademo.kafka.admin;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.ResponseHeader;

/**
 * Asks one bootstrap address, over a plain socket, which addresses the brokers advertise. A Kafka
 * client cannot show this when the advertised addresses are wrong: it switches to them right after
 * bootstrapping and then only times out. Plaintext listeners only.
 */
public final class AdvertisedBrokers {
  /**
   * Version 9 is understood by every broker from Kafka 2.4 on, Kafka 4 and cp-kafka 7.x included.
   */
  private static final short METADATA_VERSION = 9;

  private AdvertisedBrokers() {}

  public static Collection<Node> fetch(String host, int port, Duration timeout) throws IOException {
    try (Socket socket = new Socket()) {
      int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
      socket.connect(new InetSocketAddress(host, port), millis);
      socket.setSoTimeout(millis);
      MetadataRequest request =
          new MetadataRequest.Builder(List.of(), false).build(METADATA_VERSION);
      ByteBuffer payload =
          request.serializeWithHeader(
              new RequestHeader(ApiKeys.METADATA, METADATA_VERSION, "kafka-demo-doctor", 1));
      OutputStream out = socket.getOutputStream();
      out.write(ByteBuffer.allocate(4).putInt(payload.remaining()).array());
      out.write(payload.array(), payload.arrayOffset() + payload.position(), payload.remaining());
      out.flush();
      DataInputStream in = new DataInputStream(socket.getInputStream());
      byte[] response = new byte[in.readInt()];
      in.readFully(response);
      ByteBuffer buffer = ByteBuffer.wrap(response);
      ResponseHeader.parse(buffer, ApiKeys.METADATA.responseHeaderVersion(METADATA_VERSION));
      return MetadataResponse.parse(new ByteBufferAccessor(buffer), METADATA_VERSION).brokers();
    }
  }
}
