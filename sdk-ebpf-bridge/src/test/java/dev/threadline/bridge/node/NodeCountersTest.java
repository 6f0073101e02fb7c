package dev.threadline.bridge.node;

import static dev.threadline.bridge.node.KongPayload.span;
import static dev.threadline.bridge.node.KongPayload.str;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.threadline.bridge.node.store.StoreLimits;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every span a node receives ends up counted in exactly one place: {@code received = store.spans +
 * evicted + rejected + duplicates}, checked on the scraped {@code /metrics} after real exports that
 * include a retried request, a trace over the per-trace span limit, a span with an invalid id and
 * evictions.
 */
class NodeCountersTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void theCountersAddUpExactly() throws Exception {
    try (NodeServer node =
        NodeServer.start(
            NodeConfig.defaults()
                .withPort(0)
                .withStoreLimits(new StoreLimits(96 * 1024, Duration.ofHours(1), 3)))) {
      // Two spans, then the very same request again, as an exporter retries after a timeout.
      ExportTraceServiceRequest first = request(1, 2, 0);
      assertThat(post(node, first).hasPartialSuccess()).isFalse();
      assertThat(post(node, first).hasPartialSuccess()).isFalse();
      // Five spans of one trace: three fit, two are refused.
      assertThat(post(node, request(2, 5, 0)).getPartialSuccess().getRejectedSpans()).isEqualTo(2);
      // One span with an all-zero trace id, refused alone, beside one that is fine.
      ExportTraceServiceRequest.Builder invalid = request(3, 2, 0).toBuilder();
      invalid
          .getResourceSpansBuilder(0)
          .getScopeSpansBuilder(0)
          .getSpansBuilder(1)
          .setTraceId(ByteString.copyFrom(new byte[16]));
      assertThat(post(node, invalid.build()).getPartialSuccess().getRejectedSpans()).isEqualTo(1);
      // Big spans in new traces until the oldest traces are evicted to stay under 96 KiB.
      for (int trace = 10; trace < 16; trace++) {
        post(node, request(trace, 1, 30 * 1024));
      }

      Map<String, Double> metrics = scrape(node);
      double received = metrics.get("threadline_node_spans_received_total");
      double stored = metrics.get("threadline_node_store_spans");
      double evicted = metrics.get("threadline_node_spans_evicted_total");
      double rejected = metrics.get("threadline_node_spans_rejected_total");
      double duplicates = metrics.get("threadline_node_spans_duplicates_total");
      assertThat(received).isEqualTo(2 + 2 + 5 + 2 + 6);
      assertThat(duplicates).isEqualTo(2);
      assertThat(rejected).isEqualTo(3);
      assertThat(evicted).isPositive().isEqualTo(node.store().evictedSpans());
      assertThat(stored).isEqualTo(node.store().spanCount());
      assertThat(received).isEqualTo(stored + evicted + rejected + duplicates);
    }
  }

  /** {@code spans} spans of trace number {@code trace}, each with a {@code padding}-char value. */
  private static ExportTraceServiceRequest request(int trace, int spans, int padding) {
    ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    for (int i = 0; i < spans; i++) {
      Span.Builder span =
          span(String.format("%016x", i + 1), "", "op" + i, Span.SpanKind.SPAN_KIND_SERVER, 1, 1)
              .setTraceId(ByteString.copyFrom(HEX.parseHex(String.format("%032x", trace))));
      if (padding > 0) {
        span.addAttributes(str("padding", "x".repeat(padding)));
      }
      scope.addSpans(span);
    }
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(scope))
        .build();
  }

  private static ExportTraceServiceResponse post(NodeServer node, ExportTraceServiceRequest request)
      throws Exception {
    HttpResponse<byte[]> response =
        NodeHttp.post(
            node.baseUrl() + "/v1/traces", "application/x-protobuf", null, request.toByteArray());
    assertThat(response.statusCode()).isEqualTo(200);
    return ExportTraceServiceResponse.parseFrom(response.body());
  }

  /** The scraped samples without labels, by name. */
  private static Map<String, Double> scrape(NodeServer node) {
    Map<String, Double> samples = new HashMap<>();
    for (String line : NodeHttp.getText(node.baseUrl() + "/metrics").split("\n")) {
      if (line.startsWith("threadline_node_") && !line.contains("{")) {
        String[] parts = line.split(" ");
        samples.put(parts[0], Double.parseDouble(parts[1]));
      }
    }
    return samples;
  }
}
