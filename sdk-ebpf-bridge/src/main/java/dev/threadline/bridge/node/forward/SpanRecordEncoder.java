package dev.threadline.bridge.node.forward;

import com.google.protobuf.ByteString;
import dev.threadline.bridge.node.store.Attribute;
import dev.threadline.bridge.node.store.SpanRecord;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Spans the node made itself (S spans, with their final trace and parent) as one OTLP export
 * request: one resource per service, the records' attributes with their types, so a backend shows
 * them as ordinary spans of the trace.
 */
public final class SpanRecordEncoder {
  private static final HexFormat HEX = HexFormat.of();

  private SpanRecordEncoder() {}

  /** The export request for {@code spans}. */
  public static ExportTraceServiceRequest encode(List<SpanRecord> spans) {
    Map<String, ScopeSpans.Builder> byService = new LinkedHashMap<>();
    Map<String, List<Attribute>> resources = new LinkedHashMap<>();
    for (SpanRecord span : spans) {
      ScopeSpans.Builder scope =
          byService.computeIfAbsent(
              span.service(),
              service -> {
                resources.put(service, span.resourceAttributes());
                return ScopeSpans.newBuilder()
                    .setScope(InstrumentationScope.newBuilder().setName(span.scope()));
              });
      scope.addSpans(span(span));
    }
    ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
    for (Map.Entry<String, ScopeSpans.Builder> entry : byService.entrySet()) {
      Resource.Builder resource = Resource.newBuilder();
      for (Attribute attribute : resources.get(entry.getKey())) {
        resource.addAttributes(keyValue(attribute));
      }
      request.addResourceSpans(
          ResourceSpans.newBuilder().setResource(resource).addScopeSpans(entry.getValue()));
    }
    return request.build();
  }

  private static Span span(SpanRecord r) {
    Span.Builder span =
        Span.newBuilder()
            .setTraceId(ByteString.copyFrom(HEX.parseHex(r.traceId())))
            .setSpanId(ByteString.copyFrom(HEX.parseHex(r.spanId())))
            .setName(r.name())
            .setKind(kind(r.kind()))
            .setStartTimeUnixNano(r.startEpochNanos())
            .setEndTimeUnixNano(r.endEpochNanos());
    if (!r.parentSpanId().isEmpty()) {
      span.setParentSpanId(ByteString.copyFrom(HEX.parseHex(r.parentSpanId())));
    }
    if (r.isError()) {
      span.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR));
    }
    for (Attribute attribute : r.attributes()) {
      span.addAttributes(keyValue(attribute));
    }
    return span.build();
  }

  private static Span.SpanKind kind(String kind) {
    switch (kind) {
      case "SERVER":
        return Span.SpanKind.SPAN_KIND_SERVER;
      case "CLIENT":
        return Span.SpanKind.SPAN_KIND_CLIENT;
      default:
        return Span.SpanKind.SPAN_KIND_INTERNAL;
    }
  }

  private static KeyValue keyValue(Attribute a) {
    AnyValue.Builder value = AnyValue.newBuilder();
    try {
      switch (a.type()) {
        case "int":
          value.setIntValue(Long.parseLong(a.value()));
          break;
        case "bool":
          value.setBoolValue(Boolean.parseBoolean(a.value()));
          break;
        case "double":
          value.setDoubleValue(Double.parseDouble(a.value()));
          break;
        default:
          value.setStringValue(a.value());
      }
    } catch (NumberFormatException e) {
      value.setStringValue(a.value());
    }
    return KeyValue.newBuilder().setKey(a.key()).setValue(value).build();
  }
}
