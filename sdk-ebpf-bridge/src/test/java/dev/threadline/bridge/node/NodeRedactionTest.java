package dev.threadline.bridge.node;

import static dev.threadline.bridge.node.KongPayload.span;
import static dev.threadline.bridge.node.KongPayload.str;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonParser;
import dev.threadline.bridge.node.forward.ForwardConfig;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Spans from other senders with secrets in their URLs and headers are stored, shown and forwarded
 * without them: posted as real OTLP to one node, read back through its query API, and through the
 * API of a second node it forwards to.
 */
class NodeRedactionTest {
  private static final List<String> SECRETS =
      List.of(
          "S3CRET-userinfo",
          "S3CRET-access-token",
          "S3CRET-api-key",
          "S3CRET-password",
          "S3CRET-http-url",
          "S3CRET-signature",
          "S3CRET-event",
          "S3CRET-cookie",
          "S3CRET-json-jwt",
          "S3CRET-resource");

  @Test
  void secretsAreNeitherStoredShownNorForwarded() throws Exception {
    try (NodeServer backend = NodeServer.start(NodeConfig.defaults().withPort(0));
        NodeServer node =
            NodeServer.start(
                NodeConfig.defaults()
                    .withPort(0)
                    .withForward(
                        new ForwardConfig(
                            URI.create(backend.baseUrl() + "/v1/traces"),
                            Map.of(),
                            1 << 20,
                            Duration.ofSeconds(5))))) {
      String query =
          "q=boots&access_token=S3CRET-access-token&api_key=S3CRET-api-key"
              + "&password=S3CRET-password";
      Span server =
          span(KongPayload.KONG_SPAN, "", "GET /search", Span.SpanKind.SPAN_KIND_SERVER, 1_000, 50)
              .addAttributes(
                  str("url.full", "https://ann:S3CRET-userinfo@shop.example/search?" + query))
              .addAttributes(str("url.query", query))
              .addAttributes(str("url.path", "/search"))
              .addAttributes(str("http.target", "/search?" + query))
              .addAttributes(str("http.method", "GET"))
              .addAttributes(
                  str("http.url", "http://shop.example/search?token=S3CRET-http-url#results"))
              .addAttributes(
                  KeyValue.newBuilder()
                      .setKey("http.request.header.cookie")
                      .setValue(
                          AnyValue.newBuilder()
                              .setArrayValue(
                                  ArrayValue.newBuilder()
                                      .addValues(
                                          AnyValue.newBuilder()
                                              .setStringValue("sid=S3CRET-cookie")))))
              .addEvents(
                  Span.Event.newBuilder()
                      .setName("redirect")
                      .setTimeUnixNano(1_010)
                      .addAttributes(
                          str(
                              "url.full",
                              "https://cdn.example/a.png?X-Amz-Signature=S3CRET-event")))
              .build();
      Span client =
          span(
                  KongPayload.ROUTER_SPAN,
                  KongPayload.KONG_SPAN,
                  "GET",
                  Span.SpanKind.SPAN_KIND_CLIENT,
                  1_010,
                  20)
              .addAttributes(str("url.full", "https://s3.example/b?sig=S3CRET-signature&v=1"))
              .build();
      ExportTraceServiceRequest secret =
          ExportTraceServiceRequest.newBuilder()
              .addResourceSpans(
                  ResourceSpans.newBuilder()
                      .setResource(
                          Resource.newBuilder()
                              .addAttributes(str("service.name", "shop"))
                              .addAttributes(
                                  str("url.full", "http://x:S3CRET-resource@config.example/")))
                      .addScopeSpans(ScopeSpans.newBuilder().addSpans(server).addSpans(client)))
              .build();
      assertThat(
              NodeHttp.post(
                      node.baseUrl() + "/v1/traces",
                      "application/x-protobuf",
                      "gzip",
                      NodeHttp.gzip(secret.toByteArray()))
                  .statusCode())
          .isEqualTo(200);
      String json =
          "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\""
              + KongPayload.TRACE_ID
              + "\",\"spanId\":\"00000000000000aa\",\"parentSpanId\":\""
              + KongPayload.KONG_SPAN
              + "\",\"name\":\"from-json\",\"startTimeUnixNano\":\"1020\","
              + "\"endTimeUnixNano\":\"1030\",\"attributes\":[{\"key\":\"url.query\","
              + "\"value\":{\"stringValue\":\"jwt=S3CRET-json-jwt\"}}]}]}]}]}";
      assertThat(
              NodeHttp.post(
                      node.baseUrl() + "/v1/traces", "application/json", null, json.getBytes())
                  .statusCode())
          .isEqualTo(200);
      // Spans without secrets still go on byte for byte (KongPayloadTest checks the bytes).
      NodeHttp.post(
          node.baseUrl() + "/v1/traces",
          "application/x-protobuf",
          null,
          KongPayload.upstream(2_000).toByteArray());

      String stored = NodeHttp.getText(node.baseUrl() + "/api/traces/" + KongPayload.TRACE_ID);
      String listed = NodeHttp.getText(node.baseUrl() + "/api/traces?service=shop");
      assertThat(stored).contains("\"name\":\"from-json\"").contains("\"GET /orders/{id}\"");
      assertRedacted(stored);
      assertThat(listed).contains(KongPayload.TRACE_ID).doesNotContain("S3CRET");

      // The backend node answers each forward only once it stored it: once the forwarder counts
      // all five spans as forwarded, the backend holds them.
      await(() -> node.metrics().count("threadline.node.spans.forwarded") == 5);
      assertThat(node.metrics().count("threadline.node.spans.forward.failures")).isZero();
      String forwarded =
          NodeHttp.getText(backend.baseUrl() + "/api/traces/" + KongPayload.TRACE_ID);
      assertThat(forwarded).contains("\"name\":\"from-json\"").contains("\"GET /orders/{id}\"");
      assertRedacted(forwarded);
    }
  }

  private static void assertRedacted(String served) {
    // Re-written without the API's HTML-safe escapes of = and &, to compare plain text.
    String trace = JsonParser.parseString(served).toString();
    for (String secret : SECRETS) {
      assertThat(trace).doesNotContain(secret);
    }
    assertThat(trace)
        .doesNotContain("ann:")
        .contains(
            "\"key\":\"url.full\",\"value\":\"https://shop.example/search?q=boots"
                + "&access_token=REDACTED&api_key=REDACTED&password=REDACTED\"")
        .contains(
            "\"key\":\"url.query\",\"value\":\"q=boots&access_token=REDACTED&api_key=REDACTED"
                + "&password=REDACTED\"")
        .contains(
            "\"key\":\"http.url\",\"value\":\"http://shop.example/search?token=REDACTED#results\"")
        .contains("\"key\":\"http.request.header.cookie\",\"value\":\"[\\\"REDACTED\\\"]\"")
        .contains("X-Amz-Signature=REDACTED")
        .contains("sig=REDACTED&v=1")
        .contains("jwt=REDACTED")
        .contains("http://config.example/");
  }

  private static void await(BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 10 s");
      }
      LockSupport.parkNanos(1_000_000);
    }
  }
}
