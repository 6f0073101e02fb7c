package dev.threadline.benchmarks.bridge;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Decoding one realistic OTLP/JSON export (one service, {@value #SPANS} spans with HTTP and DB
 * attributes, an event each, a few errors) two ways: the node's decoder ({@code OtlpJsonDecoder}, a
 * strict Gson parse and one field loop driven by a table per message), and protobuf's {@link
 * JsonFormat} after rewriting the hex trace and span ids to the base64 proto3 JSON expects. The
 * score is per request.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class OtlpJsonDecodeBenchmark {
  static final int SPANS = 100;

  private static final JsonFormat.Parser JSON_FORMAT = JsonFormat.parser().ignoringUnknownFields();

  private byte[] body;
  private MethodHandle nodeDecoder;

  @Setup
  public void setUp() throws Throwable {
    body = body().getBytes(StandardCharsets.UTF_8);
    Class<?> decoder = Class.forName("dev.threadline.bridge.node.receiver.OtlpJsonDecoder");
    var decode = decoder.getDeclaredMethod("decode", byte[].class);
    decode.setAccessible(true); // package-private: the node's receiver alone calls it
    nodeDecoder =
        MethodHandles.lookup()
            .unreflect(decode)
            .asType(MethodType.methodType(ExportTraceServiceRequest.class, byte[].class));
    ExportTraceServiceRequest a = node();
    ExportTraceServiceRequest b = jsonFormat();
    if (!a.equals(b) || a.getResourceSpans(0).getScopeSpans(0).getSpansCount() != SPANS) {
      throw new IllegalStateException("the two decoders disagree on the benchmark body");
    }
  }

  @Benchmark
  public ExportTraceServiceRequest node() throws Throwable {
    return (ExportTraceServiceRequest) nodeDecoder.invokeExact(body);
  }

  @Benchmark
  public ExportTraceServiceRequest jsonFormat() throws Exception {
    JsonObject root =
        JsonParser.parseString(new String(body, StandardCharsets.UTF_8)).getAsJsonObject();
    for (JsonElement resourceSpans : root.getAsJsonArray("resourceSpans")) {
      for (JsonElement scopeSpans : resourceSpans.getAsJsonObject().getAsJsonArray("scopeSpans")) {
        for (JsonElement span : scopeSpans.getAsJsonObject().getAsJsonArray("spans")) {
          JsonObject s = span.getAsJsonObject();
          hexToBase64(s, "traceId");
          hexToBase64(s, "spanId");
          hexToBase64(s, "parentSpanId");
          JsonArray links = s.getAsJsonArray("links");
          if (links != null) {
            for (JsonElement link : links) {
              hexToBase64(link.getAsJsonObject(), "traceId");
              hexToBase64(link.getAsJsonObject(), "spanId");
            }
          }
        }
      }
    }
    ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
    JSON_FORMAT.merge(root.toString(), request);
    return request.build();
  }

  private static void hexToBase64(JsonObject object, String key) {
    JsonElement value = object.get(key);
    if (value != null && value.isJsonPrimitive()) {
      object.add(
          key,
          new JsonPrimitive(
              Base64.getEncoder().encodeToString(HexFormat.of().parseHex(value.getAsString()))));
    }
  }

  /** What an SDK's OTLP/JSON exporter sends for one batch of a web service. */
  static String body() {
    StringBuilder json = new StringBuilder(64 * 1024);
    json.append("{\"resourceSpans\":[{\"resource\":{\"attributes\":[")
        .append(attribute("service.name", "stringValue", "\"checkout\""))
        .append(',')
        .append(attribute("service.version", "stringValue", "\"2.14.1\""))
        .append(',')
        .append(attribute("host.name", "stringValue", "\"node-17.prod\""))
        .append(',')
        .append(attribute("process.pid", "intValue", "\"4242\""))
        .append("]},\"scopeSpans\":[{\"scope\":{\"name\":\"io.opentelemetry.tomcat-10.0\",")
        .append("\"version\":\"2.10.0-alpha\"},\"spans\":[");
    long start = 1_700_000_000_000_000_000L;
    for (int i = 0; i < SPANS; i++) {
      if (i > 0) {
        json.append(',');
      }
      long begin = start + i * 1_000_000L;
      json.append("{\"traceId\":\"")
          .append(String.format(Locale.ROOT, "%032x", 0x5b8efff798038103L + i / 10))
          .append("\",\"spanId\":\"")
          .append(String.format(Locale.ROOT, "%016x", 0xeee19b7ec3c1b174L + i))
          .append("\",\"parentSpanId\":\"")
          .append(
              i % 10 == 0 ? "" : String.format(Locale.ROOT, "%016x", 0xeee19b7ec3c1b174L + i - 1))
          .append("\",\"name\":\"GET /api/orders/{id}\",\"kind\":")
          .append(i % 10 == 0 ? 2 : 3)
          .append(",\"startTimeUnixNano\":\"")
          .append(begin)
          .append("\",\"endTimeUnixNano\":\"")
          .append(begin + 750_000L + i)
          .append("\",\"attributes\":[")
          .append(attribute("http.request.method", "stringValue", "\"GET\""))
          .append(',')
          .append(attribute("url.path", "stringValue", "\"/api/orders/" + (1000 + i) + "\""))
          .append(',')
          .append(attribute("http.response.status_code", "intValue", "\"200\""))
          .append(',')
          .append(attribute("server.address", "stringValue", "\"orders.internal\""))
          .append(',')
          .append(attribute("server.port", "intValue", "\"8080\""))
          .append(',')
          .append(attribute("db.statement", "stringValue", "\"SELECT * FROM orders WHERE id = ?\""))
          .append(',')
          .append(attribute("thread.id", "intValue", "\"" + (40 + i % 8) + "\""))
          .append(',')
          .append(attribute("sampled.ratio", "doubleValue", "0.25"))
          .append("],\"events\":[{\"timeUnixNano\":\"")
          .append(begin + 100_000L)
          .append("\",\"name\":\"cache miss\",\"attributes\":[")
          .append(attribute("cache.key", "stringValue", "\"order:" + i + "\""))
          .append("]}],\"status\":{")
          .append(i % 25 == 0 ? "\"code\":2,\"message\":\"timeout\"" : "")
          .append("}}");
    }
    return json.append("]}]}]}").toString();
  }

  private static String attribute(String key, String type, String value) {
    return "{\"key\":\"" + key + "\",\"value\":{\"" + type + "\":" + value + "}}";
  }
}
