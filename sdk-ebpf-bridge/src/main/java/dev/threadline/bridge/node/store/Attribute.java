package dev.threadline.bridge.node.store;

import java.util.Objects;

/**
 * One attribute of a span, resource or event, kept as display text: the store is for finding and
 * looking at traces, and forwarding re-sends the original bytes, so the typed value is not needed
 * here.
 *
 * @param key the attribute key
 * @param value the value as text (arrays and maps as JSON-like text, bytes as base64)
 * @param type the OTLP value type: {@code string}, {@code bool}, {@code int}, {@code double},
 *     {@code array}, {@code kvlist}, {@code bytes} or {@code empty}
 */
public record Attribute(String key, String value, String type) {
  public Attribute {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(type, "type");
  }

  /** A string attribute. */
  public static Attribute ofString(String key, String value) {
    return new Attribute(key, value, "string");
  }

  /** The record and its two strings (object headers included), two bytes a character. */
  long estimatedBytes() {
    return 104 + 2L * (key.length() + value.length());
  }
}
