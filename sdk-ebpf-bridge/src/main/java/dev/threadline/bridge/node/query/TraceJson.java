package dev.threadline.bridge.node.query;

import dev.threadline.bridge.node.store.Attribute;
import dev.threadline.bridge.node.store.SpanEvent;
import dev.threadline.bridge.node.store.SpanRecord;
import dev.threadline.bridge.node.store.SpanView;
import dev.threadline.bridge.node.store.TraceSnapshot;
import dev.threadline.bridge.node.store.TraceSummary;
import java.util.List;

/**
 * The query API's JSON. Epoch-nanosecond times go out as strings (a JavaScript number cannot hold
 * them exactly); what the viewer lays out is given in milliseconds relative to the trace start, as
 * plain numbers.
 */
final class TraceJson {
  private TraceJson() {}

  static String summaries(List<TraceSummary> summaries) {
    JsonWriter json = new JsonWriter().beginObject().name("traces").beginArray();
    for (TraceSummary summary : summaries) {
      json.beginObject();
      summaryFields(json, summary);
      json.endObject();
    }
    return json.endArray().field("count", summaries.size()).endObject().toString();
  }

  static String trace(TraceSnapshot trace) {
    TraceSummary summary = trace.summary();
    JsonWriter json = new JsonWriter().beginObject();
    summaryFields(json, summary);
    json.name("spans").beginArray();
    for (SpanView view : trace.spans()) {
      span(json, view, summary.startEpochNanos());
    }
    return json.endArray().endObject().toString();
  }

  private static void summaryFields(JsonWriter json, TraceSummary summary) {
    json.field("traceId", summary.traceId())
        .field("rootService", summary.rootService())
        .field("rootName", summary.rootName())
        .field("rootEndpoint", summary.rootEndpoint())
        .field("startUnixNano", Long.toUnsignedString(summary.startEpochNanos()))
        .field("startMs", summary.startEpochNanos() / 1_000_000L)
        .field("durationMs", summary.durationNanos() / 1e6)
        .field("spanCount", summary.spanCount())
        .field("errorCount", summary.errorCount())
        .field("receivedMs", summary.receivedEpochMillis());
    json.name("services").beginArray();
    for (String service : summary.services()) {
      json.value(service);
    }
    json.endArray();
  }

  private static void span(JsonWriter json, SpanView view, long traceStart) {
    SpanRecord span = view.record();
    json.beginObject()
        .field("spanId", span.spanId())
        .field("parentSpanId", view.parentSpanId())
        .field("traceId", span.traceId());
    if (view.reparented()) {
      json.field("originalParentSpanId", span.parentSpanId());
    }
    json.field("name", span.name())
        .field("kind", span.kind())
        .field("service", span.service())
        .field("scope", span.scope())
        .field("origin", span.origin().name())
        .field("statusCode", span.statusCode())
        .field("statusMessage", span.statusMessage())
        .field("startUnixNano", Long.toUnsignedString(span.startEpochNanos()))
        .field("endUnixNano", Long.toUnsignedString(span.endEpochNanos()))
        .field("offsetMs", (span.startEpochNanos() - traceStart) / 1e6)
        .field("durationMs", span.durationNanos() / 1e6);
    attributes(json, "attributes", span.attributes());
    attributes(json, "resource", span.resourceAttributes());
    json.name("events").beginArray();
    for (SpanEvent event : span.events()) {
      json.beginObject()
          .field("name", event.name())
          .field("offsetMs", (event.epochNanos() - traceStart) / 1e6);
      attributes(json, "attributes", event.attributes());
      json.endObject();
    }
    json.endArray().endObject();
  }

  private static void attributes(JsonWriter json, String name, List<Attribute> attributes) {
    json.name(name).beginArray();
    for (Attribute attribute : attributes) {
      json.beginObject()
          .field("key", attribute.key())
          .field("value", attribute.value())
          .field("type", attribute.type())
          .endObject();
    }
    json.endArray();
  }
}
