package dev.threadline.bridge.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real OpenTelemetry Java SDK exporter sends to the node; the trace is then found through the
 * query API.
 */
class SdkExportTest {
  private NodeServer node;

  @BeforeEach
  void start() throws Exception {
    node = NodeServer.start(NodeConfig.defaults().withPort(0));
  }

  @AfterEach
  void stop() {
    node.close();
  }

  @Test
  void protobufExportIsStoredAndQueryable() throws Exception {
    exportAndCheck(
        OtlpHttpSpanExporter.builder().setEndpoint(node.baseUrl() + "/v1/traces").build(), "proto");
  }

  @Test
  void gzippedProtobufToTheDeepFlowPathIsStoredAndQueryable() throws Exception {
    exportAndCheck(
        OtlpHttpSpanExporter.builder()
            .setEndpoint(node.baseUrl() + "/api/v1/otel/trace")
            .setCompression("gzip")
            .build(),
        "proto-gzip-deepflow");
  }

  @Test
  void jsonExportIsStoredWithHexIdsReadCorrectly() throws Exception {
    exportAndCheck(
        jsonExporter(OtlpHttpSpanExporter.builder().setEndpoint(node.baseUrl() + "/v1/traces")),
        "json");
  }

  /**
   * The SDK's OTLP/HTTP exporter encodes JSON when its internal builder is told to (what the SDK's
   * own {@code otlp_file}/JSON paths use); 1.68 has no public switch for it, so the test flips the
   * internal one.
   */
  private static SpanExporter jsonExporter(OtlpHttpSpanExporterBuilder builder) throws Exception {
    Field delegate = OtlpHttpSpanExporterBuilder.class.getDeclaredField("delegate");
    delegate.setAccessible(true);
    Object httpBuilder = delegate.get(builder);
    Method exportAsJson = httpBuilder.getClass().getMethod("exportAsJson");
    exportAsJson.invoke(httpBuilder);
    return builder.build();
  }

  private void exportAndCheck(SpanExporter exporter, String encoding) throws Exception {
    RecordingExporter recording = new RecordingExporter(exporter);
    SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .setResource(
                Resource.getDefault()
                    .merge(Resource.builder().put("service.name", "shop-" + encoding).build()))
            .addSpanProcessor(SimpleSpanProcessor.create(recording))
            .build();
    Tracer tracer = provider.get("sdk-export-test");
    Span server =
        tracer
            .spanBuilder("GET /cart")
            .setSpanKind(SpanKind.SERVER)
            .setAttribute("http.request.method", "GET")
            .setAttribute("http.route", "/cart")
            .startSpan();
    String traceId = server.getSpanContext().getTraceId();
    String serverId = server.getSpanContext().getSpanId();
    String childId;
    try (Scope ignored = server.makeCurrent()) {
      Span child =
          tracer
              .spanBuilder("SELECT cart")
              .setSpanKind(SpanKind.CLIENT)
              .setAttribute(AttributeKey.longKey("db.rows"), 3L)
              .startSpan();
      childId = child.getSpanContext().getSpanId();
      child.setStatus(StatusCode.ERROR, "deadlock");
      child.addEvent("retry");
      child.end();
    }
    server.end();
    assertThat(provider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    provider.shutdown().join(10, TimeUnit.SECONDS);
    assertThat(recording.failures).as("export failures").isZero();

    JsonObject list =
        JsonParser.parseString(
                NodeHttp.getText(node.baseUrl() + "/api/traces?service=shop-" + encoding))
            .getAsJsonObject();
    JsonArray traces = list.getAsJsonArray("traces");
    assertThat(traces).hasSize(1);
    JsonObject summary = traces.get(0).getAsJsonObject();
    assertThat(summary.get("traceId").getAsString()).isEqualTo(traceId);
    assertThat(summary.get("rootEndpoint").getAsString()).isEqualTo("GET /cart");
    assertThat(summary.get("errorCount").getAsInt()).isEqualTo(1);

    JsonObject trace =
        JsonParser.parseString(NodeHttp.getText(node.baseUrl() + "/api/traces/" + traceId))
            .getAsJsonObject();
    Map<String, JsonObject> spans = new HashMap<>();
    for (var element : trace.getAsJsonArray("spans")) {
      spans.put(element.getAsJsonObject().get("spanId").getAsString(), element.getAsJsonObject());
    }
    assertThat(spans).containsOnlyKeys(serverId, childId);
    JsonObject child = spans.get(childId);
    assertThat(child.get("parentSpanId").getAsString()).isEqualTo(serverId);
    assertThat(child.get("kind").getAsString()).isEqualTo("CLIENT");
    assertThat(child.get("origin").getAsString()).isEqualTo("A");
    assertThat(child.get("statusCode").getAsString()).isEqualTo("ERROR");
    assertThat(child.get("statusMessage").getAsString()).isEqualTo("deadlock");
    assertThat(child.toString()).contains("\"key\":\"db.rows\",\"value\":\"3\",\"type\":\"int\"");
    assertThat(child.getAsJsonArray("events").get(0).getAsJsonObject().get("name").getAsString())
        .isEqualTo("retry");
    assertThat(spans.get(serverId).get("parentSpanId").getAsString()).isEmpty();
    assertThat(node.metrics().count("threadline.node.spans.received")).isEqualTo(2);
    // Two requests (SimpleSpanProcessor exports each span as it ends), in the encoding under test.
    assertThat(
            node.metrics()
                .count(
                    "threadline.node.requests",
                    "outcome",
                    "accepted",
                    "encoding",
                    encoding.equals("json") ? "json" : "protobuf"))
        .isEqualTo(2);
  }

  /** Counts failed exports: the SDK exporter reports them only through its result code. */
  private static final class RecordingExporter implements SpanExporter {
    private final SpanExporter delegate;
    volatile int failures;

    RecordingExporter(SpanExporter delegate) {
      this.delegate = delegate;
    }

    @Override
    public CompletableResultCode export(
        java.util.Collection<io.opentelemetry.sdk.trace.data.SpanData> spans) {
      CompletableResultCode result = delegate.export(spans).join(10, TimeUnit.SECONDS);
      if (!result.isSuccess()) {
        failures++;
      }
      return result;
    }

    @Override
    public CompletableResultCode flush() {
      return delegate.flush();
    }

    @Override
    public CompletableResultCode shutdown() {
      return delegate.shutdown();
    }
  }
}
