package dev.threadline.bridge.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.threadline.bridge.node.receiver.ReceiverLimits;
import dev.threadline.bridge.node.store.StoreHeap;
import dev.threadline.bridge.node.store.StoreLimits;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Random, truncated, oversized and compressed-bomb bodies: each gets a 4xx with a reason, the node
 * keeps serving, and the store stays within its limits.
 */
class HostileInputTest {
  private static final int MAX_BODY = 256 * 1024;
  private static final int MAX_DECODED = 1024 * 1024;
  private static final long STORE_BYTES = 512 * 1024;

  private NodeServer node;
  private String url;

  @BeforeEach
  void start() throws Exception {
    node =
        NodeServer.start(
            NodeConfig.defaults()
                .withPort(0)
                .withReceiverLimits(new ReceiverLimits(MAX_BODY, MAX_DECODED))
                .withStoreLimits(new StoreLimits(STORE_BYTES, Duration.ofHours(1), 1000)));
    url = node.baseUrl() + "/v1/traces";
  }

  @AfterEach
  void stop() {
    node.close();
  }

  @Test
  void randomAndTruncatedBodiesAreRefusedOrPartlyAcceptedNeverCrash() {
    long empty = StoreHeap.bytes(node.store(), node.metrics());
    Random random = new Random(7);
    byte[] valid = KongPayload.kong(1_764_000_000_000_000_000L).toByteArray();
    for (int i = 0; i < 300; i++) {
      byte[] body;
      switch (i % 4) {
        case 0:
          body = new byte[random.nextInt(4096)];
          random.nextBytes(body);
          break;
        case 1:
          body = Arrays.copyOf(valid, random.nextInt(valid.length));
          break;
        case 2:
          body = valid.clone();
          for (int flips = 0; flips < 5; flips++) {
            body[random.nextInt(body.length)] = (byte) random.nextInt(256);
          }
          break;
        default:
          body = new byte[random.nextInt(2048)];
          random.nextBytes(body);
          body = json(body);
          break;
      }
      boolean isJson = i % 4 == 3;
      HttpResponse<byte[]> response =
          NodeHttp.post(url, isJson ? "application/json" : "application/x-protobuf", null, body);
      assertThat(response.statusCode()).as("request %d", i).isIn(200, 400);
      if (response.statusCode() == 400) {
        assertThat(NodeHttp.text(response)).as("request %d", i).containsAnyOf("invalid", "cannot");
      }
      assertThat(node.store().bytes()).isLessThanOrEqualTo(STORE_BYTES);
    }
    assertThat(StoreHeap.bytes(node.store(), node.metrics()) - empty)
        .isLessThanOrEqualTo(STORE_BYTES);
    assertThat(NodeHttp.post(url, "application/x-protobuf", null, valid).statusCode())
        .isEqualTo(200);
  }

  @Test
  void reasonsComeBackInTheRequestEncoding() throws Exception {
    HttpResponse<byte[]> json = NodeHttp.post(url, "application/json", null, "{nope".getBytes());
    assertThat(json.statusCode()).isEqualTo(400);
    assertThat(json.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(NodeHttp.text(json)).startsWith("{\"code\":3,\"message\":\"invalid JSON");

    HttpResponse<byte[]> proto =
        NodeHttp.post(url, "application/x-protobuf", null, new byte[] {(byte) 0xff});
    assertThat(proto.statusCode()).isEqualTo(400);
    assertThat(NodeHttp.text(proto)).contains("invalid protobuf ExportTraceServiceRequest");

    assertThat(NodeHttp.post(url, "text/plain", null, "x".getBytes()).statusCode()).isEqualTo(415);
    assertThat(NodeHttp.post(url, "application/json", "br", "{}".getBytes()).statusCode())
        .isEqualTo(415);
    assertThat(NodeHttp.get(url).statusCode()).isEqualTo(405);
    assertThat(
            NodeHttp.post(url, "application/x-protobuf", "gzip", "not gzip".getBytes())
                .statusCode())
        .isEqualTo(400);

    // A span with an all-zero trace id is rejected alone: partial success, the rest is stored.
    var request = KongPayload.kong(1L).toBuilder();
    request
        .getResourceSpansBuilder(0)
        .getScopeSpansBuilder(0)
        .getSpansBuilder(1)
        .setTraceId(com.google.protobuf.ByteString.copyFrom(new byte[16]));
    HttpResponse<byte[]> partial =
        NodeHttp.post(url, "application/x-protobuf", null, request.build().toByteArray());
    assertThat(partial.statusCode()).isEqualTo(200);
    ExportTraceServiceResponse answer = ExportTraceServiceResponse.parseFrom(partial.body());
    assertThat(answer.getPartialSuccess().getRejectedSpans()).isEqualTo(1);
    assertThat(answer.getPartialSuccess().getErrorMessage())
        .contains("kong.router")
        .contains("trace id");
    assertThat(node.metrics().count("threadline.node.spans.rejected")).isEqualTo(1);
    assertThat(node.metrics().count("threadline.node.spans.received")).isEqualTo(5);
    assertThat(node.store().spanCount()).isEqualTo(4);
  }

  @Test
  void oversizedBodiesAndGzipBombsGet413() throws Exception {
    byte[] big = new byte[MAX_BODY + 1];
    assertThat(NodeHttp.post(url, "application/x-protobuf", null, big).statusCode()).isEqualTo(413);

    // 64 MiB of zeros is 64 KiB gzipped: small on the wire, 64 times the decoded limit once
    // inflated.
    byte[] bomb = gzipZeros(64 * 1024 * 1024);
    assertThat(bomb.length).isLessThan(MAX_BODY);
    // Counted here, independently of the receiver: the body really inflates to 64 MiB.
    try (InputStream inflating = new GZIPInputStream(new ByteArrayInputStream(bomb))) {
      assertThat(inflating.transferTo(OutputStream.nullOutputStream()))
          .isEqualTo(64L * 1024 * 1024);
    }
    for (int i = 0; i < 8; i++) {
      ServingThreads serving = ServingThreads.count();
      HttpResponse<byte[]> response = NodeHttp.post(url, "application/x-protobuf", "gzip", bomb);
      long allocated = serving.allocatedSince();
      assertThat(response.statusCode()).isEqualTo(413);
      assertThat(NodeHttp.text(response)).contains("decompressed body exceeds " + MAX_DECODED);
      // Inflating stopped as soon as the output passed the limit: what the serving threads
      // allocated for the request (the body, the inflated buffer's growth to just past 1 MiB, the
      // answer) stays a few MiB, where inflating it all would take more than the bomb's 64.
      assertThat(allocated).as("bytes allocated serving bomb %d", i).isLessThan(8L * MAX_DECODED);
    }

    // A gzip bomb inside a gzip bomb is just bytes after one inflation: refused as protobuf, not
    // inflated again.
    byte[] nested = NodeHttp.gzip(bomb);
    assertThat(NodeHttp.post(url, "application/x-protobuf", "gzip", nested).statusCode())
        .isEqualTo(400);

    assertThat(
            NodeHttp.post(url, "application/x-protobuf", null, KongPayload.kong(1L).toByteArray())
                .statusCode())
        .isEqualTo(200);
    assertThat(NodeHttp.getText(node.baseUrl() + "/metrics"))
        .contains(
            "threadline_node_requests_total{encoding=\"protobuf\",outcome=\"too_large\"} 9.0");
  }

  @Test
  void manyValidTracesKeepTheStoreWithinItsBytes() {
    long empty = StoreHeap.bytes(node.store(), node.metrics());
    for (int i = 0; i < 400; i++) {
      var request = KongPayload.kong(1_764_000_000_000_000_000L + i).toBuilder();
      byte[] traceId = new byte[16];
      traceId[0] = 1;
      traceId[15] = (byte) i;
      traceId[14] = (byte) (i >> 8);
      for (var span :
          request.getResourceSpansBuilder(0).getScopeSpansBuilder(0).getSpansBuilderList()) {
        span.setTraceId(com.google.protobuf.ByteString.copyFrom(traceId));
      }
      assertThat(
              NodeHttp.post(url, "application/x-protobuf", null, request.build().toByteArray())
                  .statusCode())
          .isEqualTo(200);
      assertThat(node.store().bytes()).isLessThanOrEqualTo(STORE_BYTES);
      if (i % 50 == 49) {
        // Measured on the heap (JOL), not estimated: what the store holds fits in its bytes.
        assertThat(StoreHeap.bytes(node.store(), node.metrics()) - empty)
            .as("heap bytes after trace %d", i)
            .isLessThanOrEqualTo(STORE_BYTES);
      }
    }
    assertThat(node.store().evictedTraces()).isPositive();
    assertThat(node.metrics().count("threadline.node.spans.evicted"))
        .isEqualTo((double) node.store().evictedSpans());
    assertThat(node.store().traceCount() + node.store().evictedTraces()).isEqualTo(400);
  }

  private static byte[] json(byte[] noise) {
    String text =
        "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"name\":\""
            + new String(noise, StandardCharsets.ISO_8859_1)
            + "\"}]}]}]}";
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] gzipZeros(int size) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
      byte[] zeros = new byte[1 << 20];
      for (int written = 0; written < size; written += zeros.length) {
        out.write(zeros);
      }
    }
    return bytes.toByteArray();
  }
}
