package dev.kafkademo.events;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** What a user did. The JSON name is the lower-case wire form, e.g. {@code page_view}. */
public enum EventType {
  LOGIN("login"),
  LOGOUT("logout"),
  PAGE_VIEW("page_view"),
  ADD_TO_CART("add_to_cart"),
  PURCHASE("purchase"),
  SEARCH("search");

  private static final EventType[] VALUES = values();
  private final String jsonName;

  EventType(String jsonName) {
    this.jsonName = jsonName;
  }

  public String jsonName() {
    return jsonName;
  }

  public static Optional<EventType> fromJsonName(String name) {
    for (EventType type : VALUES) {
      if (type.jsonName.equals(name)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }

  /** The accepted names, for messages: {@code login, logout, ...}. */
  /** The type with this JSON name, or an invalid event that says which names there are. */
  public static EventType parse(String name) throws InvalidEventException {
    return fromJsonName(name)
        .orElseThrow(
            () ->
                new InvalidEventException("eventType '" + name + "' is not one of " + jsonNames()));
  }

  public static String jsonNames() {
    return Arrays.stream(VALUES).map(EventType::jsonName).collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return jsonName;
  }
}
