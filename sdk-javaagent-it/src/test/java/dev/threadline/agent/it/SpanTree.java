package dev.threadline.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.HexFormat;
import java.util.List;

/** Lookups over exported spans for assertions. */
public final class SpanTree {
  private final List<Span> spans;

  public SpanTree(List<Span> spans) {
    this.spans = spans;
  }

  public List<Span> ofTrace(String traceId) {
    return spans.stream().filter(s -> hex(s.getTraceId().toByteArray()).equals(traceId)).toList();
  }

  /** The one span of {@code traceId} named {@code name} whose parent is {@code parentSpanId}. */
  public Span child(String traceId, String parentSpanId, String name) {
    List<Span> matches =
        ofTrace(traceId).stream()
            .filter(
                s ->
                    s.getName().equals(name)
                        && hex(s.getParentSpanId().toByteArray()).equals(parentSpanId))
            .toList();
    assertThat(matches)
        .as(
            "one span '%s' under %s in trace %s; trace has %s",
            name, parentSpanId, traceId, describe(ofTrace(traceId)))
        .hasSize(1);
    return matches.get(0);
  }

  public static String id(Span span) {
    return hex(span.getSpanId().toByteArray());
  }

  public static String attribute(Span span, String key) {
    for (KeyValue kv : span.getAttributesList()) {
      if (kv.getKey().equals(key)) {
        return kv.getValue().hasIntValue()
            ? Long.toString(kv.getValue().getIntValue())
            : kv.getValue().getStringValue();
      }
    }
    return null;
  }

  public static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  public static String describe(List<Span> spans) {
    StringBuilder out = new StringBuilder();
    for (Span span : spans) {
      out.append("\n  ")
          .append(span.getName())
          .append(" id=")
          .append(id(span))
          .append(" parent=")
          .append(hex(span.getParentSpanId().toByteArray()));
    }
    return out.toString();
  }
}
