package dev.kafkademo.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventDecoderTest {
  private static final UserEvent EVENT =
      new UserEvent(
          UUID.fromString("0b8d2f9e-3c1a-4c5e-9a6b-2f1d3e4c5b6a"),
          "user-1",
          EventType.LOGIN,
          Instant.parse("2026-12-04T10:15:30Z"),
          Map.of());

  @Test
  void jsonIsReadAsJsonAndOnlyValuesStartingWithAZeroByteGoToTheOtherDecoder() throws Exception {
    List<byte[]> handedOver = new ArrayList<>();
    EventDecoder decoder =
        EventDecoder.jsonOr(
            value -> {
              handedOver.add(value);
              return EVENT;
            });
    byte[] avro = {0, 0, 0, 0, 7, 2, 4};

    assertEquals(EVENT, decoder.decode(EventJson.toBytes(EVENT)));
    assertEquals(EVENT, decoder.decode(avro));
    assertEquals(List.of(avro), handedOver, "JSON never reaches the other decoder");
    InvalidEventException notJson =
        assertThrows(
            InvalidEventException.class,
            () -> decoder.decode("hello".getBytes(StandardCharsets.UTF_8)));
    assertEquals(1, handedOver.size(), notJson.getMessage());
  }
}
