package dev.threadline.bridge.node.query;

import static dev.threadline.bridge.node.JsonOutput.number;

import com.google.gson.stream.JsonWriter;
import dev.threadline.bridge.node.JsonOutput;
import dev.threadline.bridge.node.store.Attribute;
import dev.threadline.bridge.node.store.SpanEvent;
import dev.threadline.bridge.node.store.SpanRecord;
import dev.threadline.bridge.node.store.SpanView;
import dev.threadline.bridge.node.store.TraceSnapshot;
import dev.threadline.bridge.node.store.TraceSummary;
import java.io.IOException;
import java.util.List;

/**
 * The query API's JSON. Epoch-nanosecond times go out as strings (a JavaScript number cannot hold
 * them exactly); what the viewer lays out is given in milliseconds relative to the trace start, as
 * plain numbers. Written with Gson's {@link JsonWriter} in HTML-safe mode ({@link JsonOutput}).
 */
final class TraceJson {
  private TraceJson() {}

  static String summaries(List<TraceSummary> summaries) {
    return JsonOutput.write(
        json -> {
          json.beginObject().name("traces").beginArray();
          for (TraceSummary summary : summaries) {
            json.beginObject();
            summaryFields(json, summary);
            json.endObject();
          }
          json.endArray().name("count").value(summaries.size()).endObject();
        });
  }

  static String trace(TraceSnapshot trace) {
    return JsonOutput.write(
        json -> {
          TraceSummary summary = trace.summary();
          json.beginObject();
          summaryFields(json, summary);
          json.name("spans").beginArray();
          for (SpanView view : trace.spans()) {
            span(json, view, summary.startEpochNanos());
          }
          json.endArray().endObject();
        });
  }

  private static void summaryFields(JsonWriter json, TraceSummary summary) throws IOException {
    json.name("traceId")
        .value(summary.traceId())
        .name("rootService")
        .value(summary.rootService())
        .name("rootName")
        .value(summary.rootName())
        .name("rootEndpoint")
        .value(summary.rootEndpoint())
        .name("startUnixNano")
        .value(Long.toUnsignedString(summary.startEpochNanos()))
        .name("startMs")
        .value(summary.startEpochNanos() / 1_000_000L)
        .name("durationMs");
    number(json, summary.durationNanos() / 1e6)
        .name("spanCount")
        .value(summary.spanCount())
        .name("errorCount")
        .value(summary.errorCount())
        .name("receivedMs")
        .value(summary.receivedEpochMillis());
    json.name("services").beginArray();
    for (String service : summary.services()) {
      json.value(service);
    }
    json.endArray();
  }

  private static void span(JsonWriter json, SpanView view, long traceStart) throws IOException {
    SpanRecord span = view.record();
    json.beginObject()
        .name("spanId")
        .value(span.spanId())
        .name("parentSpanId")
        .value(view.parentSpanId())
        .name("traceId")
        .value(span.traceId());
    if (view.reparented()) {
      json.name("originalParentSpanId").value(span.parentSpanId());
    }
    json.name("name")
        .value(span.name())
        .name("kind")
        .value(span.kind())
        .name("service")
        .value(span.service())
        .name("scope")
        .value(span.scope())
        .name("origin")
        .value(span.origin().name())
        .name("statusCode")
        .value(span.statusCode())
        .name("statusMessage")
        .value(span.statusMessage())
        .name("startUnixNano")
        .value(Long.toUnsignedString(span.startEpochNanos()))
        .name("endUnixNano")
        .value(Long.toUnsignedString(span.endEpochNanos()))
        .name("offsetMs");
    number(json, (span.startEpochNanos() - traceStart) / 1e6).name("durationMs");
    number(json, span.durationNanos() / 1e6);
    attributes(json, "attributes", span.attributes());
    attributes(json, "resource", span.resourceAttributes());
    json.name("events").beginArray();
    for (SpanEvent event : span.events()) {
      json.beginObject().name("name").value(event.name()).name("offsetMs");
      number(json, (event.epochNanos() - traceStart) / 1e6);
      attributes(json, "attributes", event.attributes());
      json.endObject();
    }
    json.endArray().endObject();
  }

  private static void attributes(JsonWriter json, String name, List<Attribute> attributes)
      throws IOException {
    json.name(name).beginArray();
    for (Attribute attribute : attributes) {
      json.beginObject()
          .name("key")
          .value(attribute.key())
          .name("value")
          .value(attribute.value())
          .name("type")
          .value(attribute.type())
          .endObject();
    }
    json.endArray();
  }
}
