package dev.kafkademo.cli.output;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * A record's headers as people and scripts read them: UTF-8 text as it is, anything else in base64,
 * marked as such. A name that occurs more than once shows its last value, as in Kafka UI.
 */
public record HeaderValues(Map<String, String> values, Set<String> base64) {
  public static final HeaderValues NONE = new HeaderValues(Map.of(), Set.of());

  public static HeaderValues of(Headers headers) {
    Header[] all = headers.toArray();
    if (all.length == 0) {
      return NONE;
    }
    Map<String, String> values = new LinkedHashMap<>();
    Set<String> base64 = new LinkedHashSet<>();
    for (Header header : all) {
      String text = header.value() == null ? "" : utf8(header.value());
      values.remove(header.key()); // the last one, in its place
      if (text != null) {
        values.put(header.key(), text);
        base64.remove(header.key());
      } else {
        values.put(header.key(), Base64.getEncoder().encodeToString(header.value()));
        base64.add(header.key());
      }
    }
    return new HeaderValues(values, base64);
  }

  public boolean isEmpty() {
    return values.isEmpty();
  }

  /** The value's text, or null when it is not UTF-8. */
  public static String utf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
