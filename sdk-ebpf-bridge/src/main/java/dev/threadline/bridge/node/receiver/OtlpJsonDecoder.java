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
import com.google.gson.JsonObject;
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
import java.util.List;
import java.util.Map;

/**
 * Decodes an OTLP/JSON {@code ExportTraceServiceRequest} into the protobuf message, following the
 * OTLP JSON encoding rather than protobuf's generic JSON mapping (which would read the hex ids as
 * base64). Unknown fields are ignored, as the OTLP specification requires of receivers; {@code
 * null} values count as absent.
 */
final class OtlpJsonDecoder {
  private static final String[] KINDS = {
    "UNSPECIFIED", "INTERNAL", "SERVER", "CLIENT", "PRODUCER", "CONSUMER"
  };
  private static final String[] STATUS_CODES = {"UNSET", "OK", "ERROR"};

  private OtlpJsonDecoder() {}

  static ExportTraceServiceRequest decode(byte[] body) throws ReceiveException {
    JsonObject root = OtlpJson.parse(body);
    ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
    for (Map.Entry<String, JsonElement> field : root.entrySet()) {
      if (key(field).equals("resourcespans") && !field.getValue().isJsonNull()) {
        JsonArray all = array(field.getValue(), "resourceSpans");
        for (int i = 0; i < all.size(); i++) {
          request.addResourceSpans(resourceSpans(all.get(i), "resourceSpans[" + i + "]"));
        }
      }
    }
    return request.build();
  }

  private static ResourceSpans resourceSpans(JsonElement json, String path)
      throws ReceiveException {
    ResourceSpans.Builder builder = ResourceSpans.newBuilder();
    for (Map.Entry<String, JsonElement> field : object(json, path).entrySet()) {
      JsonElement value = field.getValue();
      if (value.isJsonNull()) {
        continue;
      }
      switch (key(field)) {
        case "resource":
          {
            Resource.Builder resource = Resource.newBuilder();
            for (Map.Entry<String, JsonElement> inner :
                object(value, path + ".resource").entrySet()) {
              if (key(inner).equals("attributes") && !inner.getValue().isJsonNull()) {
                resource.addAllAttributes(
                    attributes(inner.getValue(), path + ".resource.attributes"));
              } else if (key(inner).equals("droppedattributescount")
                  && !inner.getValue().isJsonNull()) {
                resource.setDroppedAttributesCount(
                    (int) int64(inner.getValue(), path + ".resource"));
              }
            }
            builder.setResource(resource);
            break;
          }
        case "scopespans":
          {
            JsonArray all = array(value, path + ".scopeSpans");
            for (int i = 0; i < all.size(); i++) {
              builder.addScopeSpans(scopeSpans(all.get(i), path + ".scopeSpans[" + i + "]"));
            }
            break;
          }
        case "schemaurl":
          builder.setSchemaUrl(string(value, path + ".schemaUrl"));
          break;
        default:
          break;
      }
    }
    return builder.build();
  }

  private static ScopeSpans scopeSpans(JsonElement json, String path) throws ReceiveException {
    ScopeSpans.Builder builder = ScopeSpans.newBuilder();
    for (Map.Entry<String, JsonElement> field : object(json, path).entrySet()) {
      JsonElement value = field.getValue();
      if (value.isJsonNull()) {
        continue;
      }
      switch (key(field)) {
        case "scope":
          builder.setScope(scope(value, path + ".scope"));
          break;
        case "spans":
          {
            JsonArray all = array(value, path + ".spans");
            for (int i = 0; i < all.size(); i++) {
              builder.addSpans(span(all.get(i), path + ".spans[" + i + "]"));
            }
            break;
          }
        case "schemaurl":
          builder.setSchemaUrl(string(value, path + ".schemaUrl"));
          break;
        default:
          break;
      }
    }
    return builder.build();
  }

  private static InstrumentationScope scope(JsonElement json, String path) throws ReceiveException {
    InstrumentationScope.Builder builder = InstrumentationScope.newBuilder();
    for (Map.Entry<String, JsonElement> field : object(json, path).entrySet()) {
      JsonElement value = field.getValue();
      if (value.isJsonNull()) {
        continue;
      }
      switch (key(field)) {
        case "name":
          builder.setName(string(value, path + ".name"));
          break;
        case "version":
          builder.setVersion(string(value, path + ".version"));
          break;
        case "attributes":
          builder.addAllAttributes(attributes(value, path + ".attributes"));
          break;
        default:
          break;
      }
    }
    return builder.build();
  }

  private static Span span(JsonElement json, String path) throws ReceiveException {
    Span.Builder builder = Span.newBuilder();
    for (Map.Entry<String, JsonElement> field : object(json, path).entrySet()) {
      JsonElement value = field.getValue();
      if (value.isJsonNull()) {
        continue;
      }
      String at = path + "." + field.getKey();
      switch (key(field)) {
        case "traceid":
          builder.setTraceId(id(value, at, 16));
          break;
        case "spanid":
          builder.setSpanId(id(value, at, 8));
          break;
        case "parentspanid":
          builder.setParentSpanId(id(value, at, 8));
          break;
        case "tracestate":
          builder.setTraceState(string(value, at));
          break;
        case "flags":
          builder.setFlags((int) int64(value, at));
          break;
        case "name":
          builder.setName(string(value, at));
          break;
        case "kind":
          builder.setKindValue(enumValue(value, at, "SPAN_KIND_", KINDS));
          break;
        case "starttimeunixnano":
          builder.setStartTimeUnixNano(int64(value, at));
          break;
        case "endtimeunixnano":
          builder.setEndTimeUnixNano(int64(value, at));
          break;
        case "attributes":
          builder.addAllAttributes(attributes(value, at));
          break;
        case "droppedattributescount":
          builder.setDroppedAttributesCount((int) int64(value, at));
          break;
        case "events":
          {
            JsonArray all = array(value, at);
            for (int i = 0; i < all.size(); i++) {
              builder.addEvents(event(all.get(i), at + "[" + i + "]"));
            }
            break;
          }
        case "links":
          {
            JsonArray all = array(value, at);
            for (int i = 0; i < all.size(); i++) {
              builder.addLinks(link(all.get(i), at + "[" + i + "]"));
            }
            break;
          }
        case "status":
          builder.setStatus(status(value, at));
          break;
        default:
          break;
      }
    }
    return builder.build();
  }

  private static Span.Event event(JsonElement json, String path) throws ReceiveException {
    Span.Event.Builder builder = Span.Event.newBuilder();
    for (Map.Entry<String, JsonElement> field : object(json, path).entrySet()) {
      JsonElement value = field.getValue();
      if (value.isJsonNull()) {
        continue;
      }
      String at = path + "." + field.getKey();
      switch (key(field)) {
        case "timeunixnano":
          builder.setTimeUnixNano(int64(value, at));
          break;
        case "name":
          builder.setName(string(value, at));
          break;
        case "attributes":
          builder.addAllAttributes(attributes(value, at));
          break;
        default:
          break;
      }
    }
    return builder.build();
  }

  private static Span.Link link(JsonElement json, String path) throws ReceiveException {
    Span.Link.Builder builder = Span.Link.newBuilder();
    for (Map.Entry<String, JsonElement> field : object(json, path).entrySet()) {
      JsonElement value = field.getValue();
      if (value.isJsonNull()) {
        continue;
      }
      String at = path + "." + field.getKey();
      switch (key(field)) {
        case "traceid":
          builder.setTraceId(id(value, at, 16));
          break;
        case "spanid":
          builder.setSpanId(id(value, at, 8));
          break;
        case "tracestate":
          builder.setTraceState(string(value, at));
          break;
        case "attributes":
          builder.addAllAttributes(attributes(value, at));
          break;
        case "flags":
          builder.setFlags((int) int64(value, at));
          break;
        default:
          break;
      }
    }
    return builder.build();
  }

  private static Status status(JsonElement json, String path) throws ReceiveException {
    Status.Builder builder = Status.newBuilder();
    for (Map.Entry<String, JsonElement> field : object(json, path).entrySet()) {
      JsonElement value = field.getValue();
      if (value.isJsonNull()) {
        continue;
      }
      if (key(field).equals("message")) {
        builder.setMessage(string(value, path + ".message"));
      } else if (key(field).equals("code")) {
        builder.setCodeValue(enumValue(value, path + ".code", "STATUS_CODE_", STATUS_CODES));
      }
    }
    return builder.build();
  }

  private static List<KeyValue> attributes(JsonElement json, String path) throws ReceiveException {
    JsonArray all = array(json, path);
    KeyValue[] keyValues = new KeyValue[all.size()];
    for (int i = 0; i < all.size(); i++) {
      keyValues[i] = keyValue(all.get(i), path + "[" + i + "]");
    }
    return List.of(keyValues);
  }

  private static KeyValue keyValue(JsonElement json, String path) throws ReceiveException {
    KeyValue.Builder builder = KeyValue.newBuilder();
    for (Map.Entry<String, JsonElement> field : object(json, path).entrySet()) {
      JsonElement value = field.getValue();
      if (value.isJsonNull()) {
        continue;
      }
      if (key(field).equals("key")) {
        builder.setKey(string(value, path + ".key"));
      } else if (key(field).equals("value")) {
        builder.setValue(anyValue(value, path + ".value"));
      }
    }
    return builder.build();
  }

  private static AnyValue anyValue(JsonElement json, String path) throws ReceiveException {
    AnyValue.Builder builder = AnyValue.newBuilder();
    for (Map.Entry<String, JsonElement> field : object(json, path).entrySet()) {
      JsonElement value = field.getValue();
      if (value.isJsonNull()) {
        continue;
      }
      String at = path + "." + field.getKey();
      switch (key(field)) {
        case "stringvalue":
          builder.setStringValue(string(value, at));
          break;
        case "boolvalue":
          builder.setBoolValue(OtlpJson.bool(value, at));
          break;
        case "intvalue":
          builder.setIntValue(int64(value, at));
          break;
        case "doublevalue":
          builder.setDoubleValue(OtlpJson.number(value, at));
          break;
        case "bytesvalue":
          builder.setBytesValue(OtlpJson.base64(value, at));
          break;
        case "arrayvalue":
          {
            ArrayValue.Builder array = ArrayValue.newBuilder();
            for (Map.Entry<String, JsonElement> inner : object(value, at).entrySet()) {
              if (key(inner).equals("values") && !inner.getValue().isJsonNull()) {
                JsonArray values = array(inner.getValue(), at + ".values");
                for (int i = 0; i < values.size(); i++) {
                  array.addValues(anyValue(values.get(i), at + ".values[" + i + "]"));
                }
              }
            }
            builder.setArrayValue(array);
            break;
          }
        case "kvlistvalue":
          {
            KeyValueList.Builder list = KeyValueList.newBuilder();
            for (Map.Entry<String, JsonElement> inner : object(value, at).entrySet()) {
              if (key(inner).equals("values") && !inner.getValue().isJsonNull()) {
                list.addAllValues(attributes(inner.getValue(), at + ".values"));
              }
            }
            builder.setKvlistValue(list);
            break;
          }
        default:
          break;
      }
    }
    return builder.build();
  }
}
