package dev.threadline.bridge.node.receiver;

import static dev.threadline.bridge.node.receiver.OtlpJson.array;
import static dev.threadline.bridge.node.receiver.OtlpJson.enumValue;
import static dev.threadline.bridge.node.receiver.OtlpJson.id;
import static dev.threadline.bridge.node.receiver.OtlpJson.int64;
import static dev.threadline.bridge.node.receiver.OtlpJson.key;
import static dev.threadline.bridge.node.receiver.OtlpJson.object;
import static dev.threadline.bridge.node.receiver.OtlpJson.string;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.Map;

/**
 * Decodes an OTLP/JSON {@code ExportTraceServiceRequest} into the protobuf message, following the
 * OTLP JSON encoding rather than protobuf's generic JSON mapping (which would read the hex ids as
 * base64). Unknown fields are ignored, as the OTLP specification requires of receivers; {@code
 * null} values count as absent.
 *
 * <p>One loop ({@link #message}) reads every object; each message type is a table from field name
 * (as {@link OtlpJson#key} folds it) to what the field sets. An error names the field by its path
 * in the body, as sent ({@code resourceSpans[0].scopeSpans[0].spans[3].traceId}).
 */
final class OtlpJsonDecoder {
  private static final String[] KINDS = {
    "UNSPECIFIED", "INTERNAL", "SERVER", "CLIENT", "PRODUCER", "CONSUMER"
  };
  private static final String[] STATUS_CODES = {"UNSET", "OK", "ERROR"};

  /** Reads one field's (non-null) value into a builder. */
  @FunctionalInterface
  private interface Field<B> {
    void read(B builder, JsonElement value, String path) throws ReceiveException;
  }

  /** Reads one element of an array. */
  @FunctionalInterface
  private interface Element {
    void read(JsonElement element, String path) throws ReceiveException;
  }

  // The tables refer to each other (an AnyValue holds arrays of AnyValues), hence the qualified
  // names, which Java allows before the field's declaration.
  private static final Map<String, Field<ExportTraceServiceRequest.Builder>> REQUEST =
      Map.of(
          "resourcespans",
          (b, v, p) ->
              each(
                  v,
                  p,
                  (e, at) ->
                      b.addResourceSpans(
                          message(
                              e, at, ResourceSpans.newBuilder(), OtlpJsonDecoder.RESOURCE_SPANS))));

  private static final Map<String, Field<ResourceSpans.Builder>> RESOURCE_SPANS =
      Map.of(
          "resource",
              (b, v, p) ->
                  b.setResource(message(v, p, Resource.newBuilder(), OtlpJsonDecoder.RESOURCE)),
          "scopespans",
              (b, v, p) ->
                  each(
                      v,
                      p,
                      (e, at) ->
                          b.addScopeSpans(
                              message(
                                  e, at, ScopeSpans.newBuilder(), OtlpJsonDecoder.SCOPE_SPANS))),
          "schemaurl", (b, v, p) -> b.setSchemaUrl(string(v, p)));

  private static final Map<String, Field<Resource.Builder>> RESOURCE =
      Map.of(
          "attributes", (b, v, p) -> each(v, p, (e, at) -> b.addAttributes(keyValue(e, at))),
          "droppedattributescount", (b, v, p) -> b.setDroppedAttributesCount((int) int64(v, p)));

  private static final Map<String, Field<ScopeSpans.Builder>> SCOPE_SPANS =
      Map.of(
          "scope",
              (b, v, p) ->
                  b.setScope(
                      message(v, p, InstrumentationScope.newBuilder(), OtlpJsonDecoder.SCOPE)),
          "spans",
              (b, v, p) ->
                  each(
                      v,
                      p,
                      (e, at) ->
                          b.addSpans(message(e, at, Span.newBuilder(), OtlpJsonDecoder.SPAN))),
          "schemaurl", (b, v, p) -> b.setSchemaUrl(string(v, p)));

  private static final Map<String, Field<InstrumentationScope.Builder>> SCOPE =
      Map.of(
          "name", (b, v, p) -> b.setName(string(v, p)),
          "version", (b, v, p) -> b.setVersion(string(v, p)),
          "attributes", (b, v, p) -> each(v, p, (e, at) -> b.addAttributes(keyValue(e, at))),
          "droppedattributescount", (b, v, p) -> b.setDroppedAttributesCount((int) int64(v, p)));

  private static final Map<String, Field<Span.Builder>> SPAN =
      Map.ofEntries(
          Map.entry("traceid", (b, v, p) -> b.setTraceId(id(v, p, 16))),
          Map.entry("spanid", (b, v, p) -> b.setSpanId(id(v, p, 8))),
          Map.entry("parentspanid", (b, v, p) -> b.setParentSpanId(id(v, p, 8))),
          Map.entry("tracestate", (b, v, p) -> b.setTraceState(string(v, p))),
          Map.entry("flags", (b, v, p) -> b.setFlags((int) int64(v, p))),
          Map.entry("name", (b, v, p) -> b.setName(string(v, p))),
          Map.entry("kind", (b, v, p) -> b.setKindValue(enumValue(v, p, "SPAN_KIND_", KINDS))),
          Map.entry("starttimeunixnano", (b, v, p) -> b.setStartTimeUnixNano(int64(v, p))),
          Map.entry("endtimeunixnano", (b, v, p) -> b.setEndTimeUnixNano(int64(v, p))),
          Map.entry(
              "attributes", (b, v, p) -> each(v, p, (e, at) -> b.addAttributes(keyValue(e, at)))),
          Map.entry(
              "droppedattributescount",
              (b, v, p) -> b.setDroppedAttributesCount((int) int64(v, p))),
          Map.entry(
              "events",
              (b, v, p) ->
                  each(
                      v,
                      p,
                      (e, at) ->
                          b.addEvents(
                              message(e, at, Span.Event.newBuilder(), OtlpJsonDecoder.EVENT)))),
          Map.entry("droppedeventscount", (b, v, p) -> b.setDroppedEventsCount((int) int64(v, p))),
          Map.entry(
              "links",
              (b, v, p) ->
                  each(
                      v,
                      p,
                      (e, at) ->
                          b.addLinks(
                              message(e, at, Span.Link.newBuilder(), OtlpJsonDecoder.LINK)))),
          Map.entry("droppedlinkscount", (b, v, p) -> b.setDroppedLinksCount((int) int64(v, p))),
          Map.entry(
              "status",
              (b, v, p) ->
                  b.setStatus(message(v, p, Status.newBuilder(), OtlpJsonDecoder.STATUS))));

  private static final Map<String, Field<Span.Event.Builder>> EVENT =
      Map.of(
          "timeunixnano", (b, v, p) -> b.setTimeUnixNano(int64(v, p)),
          "name", (b, v, p) -> b.setName(string(v, p)),
          "attributes", (b, v, p) -> each(v, p, (e, at) -> b.addAttributes(keyValue(e, at))),
          "droppedattributescount", (b, v, p) -> b.setDroppedAttributesCount((int) int64(v, p)));

  private static final Map<String, Field<Span.Link.Builder>> LINK =
      Map.of(
          "traceid", (b, v, p) -> b.setTraceId(id(v, p, 16)),
          "spanid", (b, v, p) -> b.setSpanId(id(v, p, 8)),
          "tracestate", (b, v, p) -> b.setTraceState(string(v, p)),
          "attributes", (b, v, p) -> each(v, p, (e, at) -> b.addAttributes(keyValue(e, at))),
          "droppedattributescount", (b, v, p) -> b.setDroppedAttributesCount((int) int64(v, p)),
          "flags", (b, v, p) -> b.setFlags((int) int64(v, p)));

  private static final Map<String, Field<Status.Builder>> STATUS =
      Map.of(
          "message", (b, v, p) -> b.setMessage(string(v, p)),
          "code", (b, v, p) -> b.setCodeValue(enumValue(v, p, "STATUS_CODE_", STATUS_CODES)));

  private static final Map<String, Field<KeyValue.Builder>> KEY_VALUE =
      Map.of(
          "key", (b, v, p) -> b.setKey(string(v, p)),
          "value", (b, v, p) -> b.setValue(anyValue(v, p)));

  private static final Map<String, Field<AnyValue.Builder>> ANY_VALUE =
      Map.of(
          "stringvalue", (b, v, p) -> b.setStringValue(string(v, p)),
          "boolvalue", (b, v, p) -> b.setBoolValue(OtlpJson.bool(v, p)),
          "intvalue", (b, v, p) -> b.setIntValue(int64(v, p)),
          "doublevalue", (b, v, p) -> b.setDoubleValue(OtlpJson.number(v, p)),
          "bytesvalue", (b, v, p) -> b.setBytesValue(OtlpJson.base64(v, p)),
          "arrayvalue",
              (b, v, p) ->
                  b.setArrayValue(
                      message(v, p, ArrayValue.newBuilder(), OtlpJsonDecoder.ARRAY_VALUE)),
          "kvlistvalue",
              (b, v, p) ->
                  b.setKvlistValue(
                      message(v, p, KeyValueList.newBuilder(), OtlpJsonDecoder.KEY_VALUE_LIST)));

  private static final Map<String, Field<ArrayValue.Builder>> ARRAY_VALUE =
      Map.of("values", (b, v, p) -> each(v, p, (e, at) -> b.addValues(anyValue(e, at))));

  private static final Map<String, Field<KeyValueList.Builder>> KEY_VALUE_LIST =
      Map.of("values", (b, v, p) -> each(v, p, (e, at) -> b.addValues(keyValue(e, at))));

  private OtlpJsonDecoder() {}

  static ExportTraceServiceRequest decode(byte[] body) throws ReceiveException {
    return message(OtlpJson.parse(body), "", ExportTraceServiceRequest.newBuilder(), REQUEST)
        .build();
  }

  /** The one field loop: every non-null field the table knows is read into {@code builder}. */
  private static <B> B message(
      JsonElement json, String path, B builder, Map<String, Field<B>> fields)
      throws ReceiveException {
    for (Map.Entry<String, JsonElement> field : object(json, path).entrySet()) {
      JsonElement value = field.getValue();
      if (value.isJsonNull()) {
        continue;
      }
      Field<B> reader = fields.get(key(field));
      if (reader != null) {
        reader.read(builder, value, path.isEmpty() ? field.getKey() : path + "." + field.getKey());
      }
    }
    return builder;
  }

  private static void each(JsonElement json, String path, Element element) throws ReceiveException {
    JsonArray all = array(json, path);
    for (int i = 0; i < all.size(); i++) {
      element.read(all.get(i), path + "[" + i + "]");
    }
  }

  private static KeyValue.Builder keyValue(JsonElement json, String path) throws ReceiveException {
    return message(json, path, KeyValue.newBuilder(), KEY_VALUE);
  }

  private static AnyValue.Builder anyValue(JsonElement json, String path) throws ReceiveException {
    return message(json, path, AnyValue.newBuilder(), ANY_VALUE);
  }
}
