package dev.threadline.bridge.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpServer;
import dev.threadline.bridge.node.forward.ForwardConfig;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Kong's opentelemetry plugin payload is accepted as it is, stored, queried, and forwarded byte for
 * byte.
 */
class KongPayloadTest {
  private static final long START = 1_764_000_000_000_000_000L;

  @Test
  void kongSpansAndTheUpstreamServiceMeetInOneTrace() throws Exception {
    try (NodeServer node = NodeServer.start(NodeConfig.defaults().withPort(0))) {
      HttpResponse<byte[]> kong =
          NodeHttp.post(
              node.baseUrl() + "/v1/traces",
              "application/x-protobuf",
              null,
              KongPayload.kong(START).toByteArray());
      assertThat(kong.statusCode()).isEqualTo(200);
      assertThat(kong.headers().firstValue("Content-Type")).hasValue("application/x-protobuf");
      assertThat(ExportTraceServiceResponse.parseFrom(kong.body()).hasPartialSuccess()).isFalse();
      HttpResponse<byte[]> orders =
          NodeHttp.post(
              node.baseUrl() + "/v1/traces",
              "application/x-protobuf",
              "gzip",
              NodeHttp.gzip(KongPayload.upstream(START).toByteArray()));
      assertThat(orders.statusCode()).isEqualTo(200);

      JsonObject summary =
          JsonParser.parseString(
                  NodeHttp.getText(node.baseUrl() + "/api/traces?service=orders&errors=true"))
              .getAsJsonObject()
              .getAsJsonArray("traces")
              .get(0)
              .getAsJsonObject();
      assertThat(summary.get("traceId").getAsString()).isEqualTo(KongPayload.TRACE_ID);
      assertThat(summary.get("rootService").getAsString()).isEqualTo("kong");
      assertThat(summary.get("rootName").getAsString()).isEqualTo("kong");
      // Kong 3.x still sends http.method / http.url: the root endpoint comes from them, without the
      // query.
      assertThat(summary.get("rootEndpoint").getAsString()).isEqualTo("GET /orders/42");
      assertThat(summary.get("spanCount").getAsInt()).isEqualTo(7);
      assertThat(summary.get("durationMs").getAsDouble()).isEqualTo(48.0);
      assertThat(summary.getAsJsonArray("services").toString()).isEqualTo("[\"kong\",\"orders\"]");

      assertThat(NodeHttp.getText(node.baseUrl() + "/api/traces?endpoint=GET%20/orders/42"))
          .contains(KongPayload.TRACE_ID);
      assertThat(NodeHttp.getText(node.baseUrl() + "/api/traces?minDurationMs=49"))
          .contains("\"count\":0");

      Map<String, JsonObject> spans = new HashMap<>();
      JsonObject trace =
          JsonParser.parseString(
                  NodeHttp.getText(
                      node.baseUrl() + "/api/traces/" + KongPayload.TRACE_ID.toUpperCase()))
              .getAsJsonObject();
      for (var element : trace.getAsJsonArray("spans")) {
        spans.put(element.getAsJsonObject().get("name").getAsString(), element.getAsJsonObject());
      }
      assertThat(spans)
          .containsOnlyKeys(
              "kong",
              "kong.router",
              "kong.access.plugin.key-auth",
              "kong.dns",
              "kong.balancer",
              "GET /orders/{id}",
              "SELECT shop.orders");
      JsonObject balancer = spans.get("kong.balancer");
      assertThat(balancer.get("kind").getAsString()).isEqualTo("CLIENT");
      assertThat(balancer.get("scope").getAsString()).isEqualTo("kong-internal");
      assertThat(balancer.get("origin").getAsString()).isEqualTo("A");
      assertThat(spans.get("GET /orders/{id}").get("parentSpanId").getAsString())
          .isEqualTo(KongPayload.BALANCER_SPAN);
      assertThat(spans.get("kong").get("offsetMs").getAsDouble()).isZero();
      // Credentials in captured headers never reach the store, the API or the viewer.
      assertThat(trace.toString())
          .doesNotContain("secret-token")
          .doesNotContain("k-123")
          .contains("{\"key\":\"http.request.header.authorization\",\"value\":\"REDACTED\"");
      assertThat(spans.get("kong.balancer").get("offsetMs").getAsDouble()).isEqualTo(2.1);

      assertThat(NodeHttp.get(node.baseUrl() + "/api/traces/" + "0".repeat(31) + "1").statusCode())
          .isEqualTo(404);
      assertThat(NodeHttp.get(node.baseUrl() + "/api/traces/nothex").statusCode()).isEqualTo(400);
      assertThat(NodeHttp.get(node.baseUrl() + "/api/traces?minDurationMs=abc").statusCode())
          .isEqualTo(400);
    }
  }

  @Test
  void forwardsProtobufByteForByteAndJsonAsProtobuf() throws Exception {
    List<byte[]> bodies = new CopyOnWriteArrayList<>();
    List<String> encodings = new CopyOnWriteArrayList<>();
    List<String> auth = new CopyOnWriteArrayList<>();
    // Sent after everything else: the forwarder has one sender thread, so once the backend holds
    // the marker, every earlier request was answered and counted, and a retry of any of them would
    // have arrived before it. The marker is answered only when the test is done.
    byte[] marker = KongPayload.upstream(START + 1_000_000).toByteArray();
    CountDownLatch markerArrived = new CountDownLatch(1);
    CountDownLatch answerMarker = new CountDownLatch(1);
    HttpServer backend =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    backend.setExecutor(Executors.newCachedThreadPool());
    backend.createContext(
        "/v1/traces",
        exchange -> {
          try (exchange) {
            byte[] received = exchange.getRequestBody().readAllBytes();
            bodies.add(received);
            encodings.add(
                String.valueOf(exchange.getRequestHeaders().getFirst("Content-Encoding")));
            auth.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            if (Arrays.equals(received, marker)) {
              markerArrived.countDown();
              answerMarker.await();
            }
            exchange.sendResponseHeaders(bodies.size() == 3 ? 503 : 200, -1);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    backend.start();
    ForwardConfig forward =
        new ForwardConfig(
            URI.create("http://127.0.0.1:" + backend.getAddress().getPort() + "/v1/traces"),
            Map.of("Authorization", "Bearer t0ken"),
            1 << 20,
            Duration.ofSeconds(5));
    try (NodeServer node =
        NodeServer.start(NodeConfig.defaults().withPort(0).withForward(forward))) {
      byte[] kong = NodeHttp.gzip(KongPayload.kong(START).toByteArray());
      NodeHttp.post(node.baseUrl() + "/v1/traces", "application/x-protobuf", "gzip", kong);
      String json =
          "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\""
              + KongPayload.TRACE_ID
              + "\",\"spanId\":\"00000000000000aa\",\"name\":\"from-json\",\"startTimeUnixNano\":\"1\","
              + "\"endTimeUnixNano\":\"2\"}]}]}]}";
      assertThat(
              NodeHttp.post(
                      node.baseUrl() + "/v1/traces", "application/json", null, json.getBytes())
                  .statusCode())
          .isEqualTo(200);
      byte[] upstream = NodeHttp.gzip(KongPayload.upstream(START).toByteArray());
      NodeHttp.post(node.baseUrl() + "/v1/traces", "application/x-protobuf", "gzip", upstream);

      assertThat(
              NodeHttp.post(node.baseUrl() + "/v1/traces", "application/x-protobuf", null, marker)
                  .statusCode())
          .isEqualTo(200);
      assertThat(markerArrived.await(10, TimeUnit.SECONDS)).isTrue();
      // Three requests and the marker: the one refused with 503 was not sent again.
      assertThat(bodies).hasSize(4);
      assertThat(bodies.get(3)).isEqualTo(marker);
      // A request without secrets is forwarded byte for byte, gzipped as it came.
      assertThat(bodies.get(2)).isEqualTo(upstream);
      assertThat(encodings.get(2)).isEqualTo("gzip");
      // Kong's captured credentials do not leave the node either: that request alone is
      // re-encoded, redacted, and everything else in it is as Kong sent it.
      ExportTraceServiceRequest forwardedKong = ExportTraceServiceRequest.parseFrom(bodies.get(0));
      assertThat(encodings.get(0)).isEqualTo("null");
      assertThat(forwardedKong.toString()).doesNotContain("secret-token").doesNotContain("k-123");
      var expected = KongPayload.kong(START).toBuilder();
      var root = expected.getResourceSpansBuilder(0).getScopeSpansBuilder(0).getSpansBuilder(0);
      for (int i = 0; i < root.getAttributesCount(); i++) {
        if (root.getAttributes(i).getKey().startsWith("http.request.header.")) {
          root.getAttributesBuilder(i).getValueBuilder().setStringValue("REDACTED");
        }
      }
      assertThat(forwardedKong).isEqualTo(expected.build());
      assertThat(
              ExportTraceServiceRequest.parseFrom(bodies.get(1))
                  .getResourceSpans(0)
                  .getScopeSpans(0)
                  .getSpans(0)
                  .getName())
          .isEqualTo("from-json");
      assertThat(encodings.get(1)).isEqualTo("null");
      assertThat(auth).containsOnly("Bearer t0ken");
      assertThat(node.metrics().count("threadline.node.spans.forwarded")).isEqualTo(6);
      assertThat(node.metrics().count("threadline.node.spans.forward.failures")).isEqualTo(2);

      String metrics = NodeHttp.getText(node.baseUrl() + "/metrics");
      assertThat(metrics)
          // Kong's five, the JSON one, the upstream's two and the marker's two, which repeat the
          // upstream's ids: received 10 = stored 8 + duplicates 2.
          .contains("threadline_node_spans_received_total 10.0")
          .contains("threadline_node_spans_duplicates_total 2.0")
          .contains("threadline_node_store_spans 8.0")
          .contains("threadline_node_spans_forwarded_total 6.0")
          .contains("threadline_node_spans_forward_failures_total 2.0")
          .contains("threadline_node_spans_evicted_total 0.0")
          .contains("threadline_node_spans_rejected_total 0.0")
          .contains("threadline_node_store_traces 1.0");
    } finally {
      answerMarker.countDown();
      backend.stop(0);
    }
  }

  @Test
  void aStuckBackendFillsABoundedQueueNeverTheHeapNorSlowsReceiving() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    byte[] body = KongPayload.kong(START, false).toByteArray();
    // Sent once the queue has drained: everything the node held arrives before it.
    byte[] marker = KongPayload.upstream(START).toByteArray();
    List<byte[]> delivered = new CopyOnWriteArrayList<>();
    Semaphore bodiesArrived = new Semaphore(0);
    CountDownLatch markerArrived = new CountDownLatch(1);
    CountDownLatch answerMarker = new CountDownLatch(1);
    HttpServer backend =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    backend.setExecutor(Executors.newCachedThreadPool());
    backend.createContext(
        "/v1/traces",
        exchange -> {
          try (exchange) {
            byte[] received = exchange.getRequestBody().readAllBytes();
            if (Arrays.equals(received, marker)) {
              markerArrived.countDown();
              answerMarker.await();
            } else {
              delivered.add(received);
              bodiesArrived.release();
              release.await();
            }
            exchange.sendResponseHeaders(200, -1);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    backend.start();
    ForwardConfig forward =
        new ForwardConfig(
            URI.create("http://127.0.0.1:" + backend.getAddress().getPort() + "/v1/traces"),
            Map.of(),
            3L * body.length,
            Duration.ofSeconds(30));
    try (NodeServer node =
        NodeServer.start(NodeConfig.defaults().withPort(0).withForward(forward))) {
      long started = System.nanoTime();
      for (int i = 0; i < 20; i++) {
        assertThat(
                NodeHttp.post(node.baseUrl() + "/v1/traces", "application/x-protobuf", null, body)
                    .statusCode())
            .isEqualTo(200);
      }
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
      // One request is stuck at the backend, three wait in the queue, the others were dropped
      // (counted when offered, before the sender got its 200); at most one more fitted while the
      // first was being taken.
      assertThat(node.metrics().count("threadline.node.spans.forward.failures"))
          .isBetween(15.0 * 5, 16.0 * 5);
      assertThat(node.metrics().count("threadline.node.spans.received")).isEqualTo(100);
      int kept = 20 - (int) node.metrics().count("threadline.node.spans.forward.failures") / 5;
      release.countDown();
      assertThat(bodiesArrived.tryAcquire(kept, 10, TimeUnit.SECONDS)).isTrue();
      assertThat(
              NodeHttp.post(node.baseUrl() + "/v1/traces", "application/x-protobuf", null, marker)
                  .statusCode())
          .isEqualTo(200);
      assertThat(markerArrived.await(10, TimeUnit.SECONDS)).isTrue();
      // What the node held for the stuck backend, measured where it arrived: the request in flight,
      // the queue's three bodies, at most one more; nothing of what was dropped came later.
      assertThat(delivered.size()).as("bodies delivered").isEqualTo(kept);
      assertThat(delivered).allSatisfy(b -> assertThat(b).isEqualTo(body));
      assertThat(delivered.stream().mapToLong(b -> b.length).sum())
          .isLessThanOrEqualTo(5L * body.length);
      assertThat(node.metrics().count("threadline.node.spans.forwarded")).isEqualTo(kept * 5.0);
      assertThat(
              node.metrics().count("threadline.node.spans.forwarded")
                  + node.metrics().count("threadline.node.spans.forward.failures"))
          .isEqualTo(100);
    } finally {
      release.countDown();
      answerMarker.countDown();
      backend.stop(0);
    }
  }
}
