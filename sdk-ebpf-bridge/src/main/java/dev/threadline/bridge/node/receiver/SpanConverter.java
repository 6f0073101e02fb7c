package dev.threadline.bridge.node.receiver;

import com.google.protobuf.ByteString;
import dev.threadline.bridge.node.store.Attribute;
import dev.threadline.bridge.node.store.Origin;
import dev.threadline.bridge.node.store.SpanEvent;
import dev.threadline.bridge.node.store.SpanRecord;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * Turns an OTLP export request, already redacted ({@link RequestRedaction}), into store records.
 * Spans whose ids are not valid OTLP ids (16 and 8 bytes, not all zero) are rejected one by one, so
 * the rest of the request still counts; the first reason is kept for the sender's partial-success
 * message.
 */
final class SpanConverter {
  /** Attribute values nested deeper than this (arrays in arrays ...) are shown as {@code ...}. */
  private static final int MAX_VALUE_DEPTH = 8;

  private static final HexFormat HEX = HexFormat.of();

  /** What a request turned into. */
  record Conversion(List<SpanRecord> spans, int rejected, String firstRejection) {}

  private SpanConverter() {}

  static Conversion convert(ExportTraceServiceRequest request) {
    List<SpanRecord> spans = new ArrayList<>();
    int rejected = 0;
    String firstRejection = null;
    for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
      List<Attribute> resource = attributes(resourceSpans.getResource().getAttributesList());
      String service = "unknown_service";
      Origin resourceOrigin = null;
      for (Attribute attribute : resource) {
        if (attribute.key().equals("service.name") && !attribute.value().isEmpty()) {
          service = attribute.value();
        } else if (attribute.key().equals(Origin.ATTRIBUTE)) {
          resourceOrigin = Origin.parse(attribute.value());
        }
      }
      for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
        String scope = scopeSpans.getScope().getName();
        for (Span span : scopeSpans.getSpansList()) {
          String problem = idProblem(span);
          if (problem != null) {
            rejected++;
            if (firstRejection == null) {
              firstRejection = problem;
            }
            continue;
          }
          spans.add(record(span, service, scope, resource, resourceOrigin));
        }
      }
    }
    return new Conversion(spans, rejected, firstRejection);
  }

  private static SpanRecord record(
      Span span, String service, String scope, List<Attribute> resource, Origin resourceOrigin) {
    List<Attribute> attributes = attributes(span.getAttributesList());
    Origin origin = null;
    for (Attribute attribute : attributes) {
      if (attribute.key().equals(Origin.ATTRIBUTE)) {
        origin = Origin.parse(attribute.value());
      }
    }
    if (origin == null) {
      origin = resourceOrigin == null ? Origin.A : resourceOrigin;
    }
    List<SpanEvent> events = new ArrayList<>(span.getEventsCount());
    for (Span.Event event : span.getEventsList()) {
      events.add(
          new SpanEvent(
              event.getName(), event.getTimeUnixNano(), attributes(event.getAttributesList())));
    }
    ByteString parent = span.getParentSpanId();
    return new SpanRecord(
        HEX.formatHex(span.getTraceId().toByteArray()),
        HEX.formatHex(span.getSpanId().toByteArray()),
        parent.isEmpty() || isZero(parent) ? "" : HEX.formatHex(parent.toByteArray()),
        span.getName(),
        kind(span.getKindValue()),
        span.getStartTimeUnixNano(),
        span.getEndTimeUnixNano(),
        service,
        scope,
        status(span.getStatus().getCodeValue()),
        span.getStatus().getMessage(),
        origin,
        attributes,
        resource,
        events);
  }

  private static String idProblem(Span span) {
    if (span.getTraceId().size() != 16 || isZero(span.getTraceId())) {
      return "span '" + span.getName() + "': trace id must be 16 bytes, not all zero";
    }
    if (span.getSpanId().size() != 8 || isZero(span.getSpanId())) {
      return "span '" + span.getName() + "': span id must be 8 bytes, not all zero";
    }
    if (!span.getParentSpanId().isEmpty() && span.getParentSpanId().size() != 8) {
      return "span '" + span.getName() + "': parent span id must be empty or 8 bytes";
    }
    return null;
  }

  private static boolean isZero(ByteString bytes) {
    for (int i = 0; i < bytes.size(); i++) {
      if (bytes.byteAt(i) != 0) {
        return false;
      }
    }
    return true;
  }

  static String kind(int value) {
    switch (value) {
      case 1:
        return "INTERNAL";
      case 2:
        return "SERVER";
      case 3:
        return "CLIENT";
      case 4:
        return "PRODUCER";
      case 5:
        return "CONSUMER";
      default:
        return "UNSPECIFIED";
    }
  }

  static String status(int value) {
    switch (value) {
      case 1:
        return "OK";
      case 2:
        return "ERROR";
      default:
        return "UNSET";
    }
  }

  static List<Attribute> attributes(List<KeyValue> keyValues) {
    List<Attribute> attributes = new ArrayList<>(keyValues.size());
    for (KeyValue keyValue : keyValues) {
      AnyValue value = keyValue.getValue();
      attributes.add(new Attribute(keyValue.getKey(), text(value, 0, false), type(value)));
    }
    return attributes;
  }

  private static String type(AnyValue value) {
    switch (value.getValueCase()) {
      case STRING_VALUE:
        return "string";
      case BOOL_VALUE:
        return "bool";
      case INT_VALUE:
        return "int";
      case DOUBLE_VALUE:
        return "double";
      case ARRAY_VALUE:
        return "array";
      case KVLIST_VALUE:
        return "kvlist";
      case BYTES_VALUE:
        return "bytes";
      default:
        return "empty";
    }
  }

  /** Display text; inside arrays and maps strings are quoted so the structure stays readable. */
  private static String text(AnyValue value, int depth, boolean nested) {
    if (depth > MAX_VALUE_DEPTH) {
      return "...";
    }
    switch (value.getValueCase()) {
      case STRING_VALUE:
        return nested ? quote(value.getStringValue()) : value.getStringValue();
      case BOOL_VALUE:
        return Boolean.toString(value.getBoolValue());
      case INT_VALUE:
        return Long.toString(value.getIntValue());
      case DOUBLE_VALUE:
        return Double.toString(value.getDoubleValue());
      case BYTES_VALUE:
        return Base64.getEncoder().encodeToString(value.getBytesValue().toByteArray());
      case ARRAY_VALUE:
        {
          StringBuilder text = new StringBuilder("[");
          for (AnyValue element : value.getArrayValue().getValuesList()) {
            text.append(text.length() > 1 ? ", " : "").append(text(element, depth + 1, true));
          }
          return text.append(']').toString();
        }
      case KVLIST_VALUE:
        {
          StringBuilder text = new StringBuilder("{");
          for (KeyValue entry : value.getKvlistValue().getValuesList()) {
            text.append(text.length() > 1 ? ", " : "")
                .append(quote(entry.getKey()))
                .append(": ")
                .append(text(entry.getValue(), depth + 1, true));
          }
          return text.append('}').toString();
        }
      default:
        return "";
    }
  }

  private static String quote(String value) {
    return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }
}
