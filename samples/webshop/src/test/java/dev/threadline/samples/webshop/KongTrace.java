package dev.threadline.samples.webshop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.threadline.sdk.testing.OtlpCollector;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reading what the Kong-shaped gateway exported and propagated, for {@link KongGatewayIT}. */
final class KongTrace {
  private static final HexFormat HEX = HexFormat.of();
  private static final Pattern TRACEPARENT =
      Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-(0[01])");

  private KongTrace() {}

  /** A W3C traceparent as the gateway sent it upstream (parsed strictly: it must be valid). */
  record Traceparent(String traceId, String spanId, String flags) {
    static Traceparent parse(String header) {
      assertThat(header).as("traceparent sent upstream").isNotNull().matches(TRACEPARENT);
      Matcher m = TRACEPARENT.matcher(header);
      assertThat(m.matches()).isTrue();
      return new Traceparent(m.group(1), m.group(2), m.group(3));
    }
  }

  /** One exported span with the resource, scope and HTTP request it came in. */
  record Exported(Span span, ResourceSpans resource, ScopeSpans scope, OtlpCollector.Received in) {
    String spanId() {
      return hex(span.getSpanId().toByteArray());
    }

    String parentId() {
      return hex(span.getParentSpanId().toByteArray());
    }

    long start() {
      return span.getStartTimeUnixNano();
    }

    long end() {
      return span.getEndTimeUnixNano();
    }

    /** The span's attributes as strings, longs, booleans or doubles. */
    Map<String, Object> attributes() {
      return values(span.getAttributesList());
    }
  }

  static String hex(byte[] bytes) {
    return HEX.formatHex(bytes);
  }

  static Map<String, Object> values(List<KeyValue> attributes) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (KeyValue kv : attributes) {
      AnyValue v = kv.getValue();
      Object value =
          switch (v.getValueCase()) {
            case STRING_VALUE -> v.getStringValue();
            case INT_VALUE -> v.getIntValue();
            case BOOL_VALUE -> v.getBoolValue();
            case DOUBLE_VALUE -> v.getDoubleValue();
            default -> v.toString();
          };
      values.put(kv.getKey(), value);
    }
    return values;
  }

  /** Every span of {@code traceId} received so far. */
  static List<Exported> spans(OtlpCollector collector, String traceId) {
    List<Exported> spans = new java.util.ArrayList<>();
    for (OtlpCollector.Received request : collector.requests()) {
      for (ResourceSpans resource : request.body().getResourceSpansList()) {
        for (ScopeSpans scope : resource.getScopeSpansList()) {
          for (Span span : scope.getSpansList()) {
            if (hex(span.getTraceId().toByteArray()).equals(traceId)) {
              spans.add(new Exported(span, resource, scope, request));
            }
          }
        }
      }
    }
    return spans;
  }

  /** Waits until at least {@code count} spans of {@code traceId} arrived; returns those there. */
  static List<Exported> await(OtlpCollector collector, String traceId, int count)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    List<Exported> spans = spans(collector, traceId);
    while (spans.size() < count && System.nanoTime() < deadline) {
      Thread.sleep(20);
      spans = spans(collector, traceId);
    }
    return spans;
  }

  /** The one span named {@code name}. */
  static Exported named(List<Exported> spans, String name) {
    List<Exported> matching = spans.stream().filter(s -> s.span().getName().equals(name)).toList();
    assertThat(matching).as("spans named %s in %s", name, names(spans)).hasSize(1);
    return matching.get(0);
  }

  static Optional<Exported> withId(List<Exported> spans, String spanId) {
    return spans.stream().filter(s -> s.spanId().equals(spanId)).findFirst();
  }

  static List<String> names(List<Exported> spans) {
    return spans.stream().map(s -> s.span().getName() + "/" + s.spanId()).toList();
  }
}
