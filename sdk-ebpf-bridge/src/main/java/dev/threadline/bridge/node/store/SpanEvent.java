package dev.threadline.bridge.node.store;

import java.util.List;
import java.util.Objects;

/**
 * A timed event inside a span (an exception, a log line).
 *
 * @param name the event name
 * @param epochNanos when it happened, nanoseconds since the epoch
 * @param attributes its attributes
 */
public record SpanEvent(String name, long epochNanos, List<Attribute> attributes) {
  public SpanEvent {
    Objects.requireNonNull(name, "name");
    attributes = List.copyOf(attributes);
  }

  long estimatedBytes() {
    long bytes = 104 + 2L * name.length();
    for (Attribute attribute : attributes) {
      bytes += attribute.estimatedBytes();
    }
    return bytes;
  }
}
