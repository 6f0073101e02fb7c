package dev.threadline.samples.webshop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.threadline.sdk.testing.OtlpCollector;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * The WebShop with the agent on every service, behind a real nginx: each request through the
 * gateway gives one connected trace across all five services, including the thread-pool fan-out in
 * order-svc, the JDBC write from a pool thread and the {@code @Async} notification.
 */
class WebShopIT {
  private static final int REQUESTS = 50;
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void everyRequestThroughTheGatewayIsOneConnectedTraceAcrossFiveServices() throws Exception {
    try (OtlpCollector collector = OtlpCollector.start();
        WebShopProcesses shop = new WebShopProcesses()) {
      shop.startServices(collector.baseUrl());
      shop.startGateway();

      Map<String, String> gatewaySpans = new HashMap<>();
      for (int i = 0; i < REQUESTS; i++) {
        String traceId = randomHex(16);
        String spanId = randomHex(8);
        gatewaySpans.put(traceId, spanId);
        HttpResponse<String> response =
            shop.throughGateway(
                "/shop/full-test?count=1",
                Map.of("traceparent", "00-" + traceId + "-" + spanId + "-01"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("\"count\":1", "\"success\":1", "\"failed\":0");
      }
      assertThat(shop.accessLog().lines().filter(l -> l.contains("/shop/full-test")).count())
          .isEqualTo(REQUESTS);

      Map<String, List<ServiceSpan>> traces =
          awaitTraces(collector, gatewaySpans.keySet(), Duration.ofSeconds(60));
      for (Map.Entry<String, String> gateway : gatewaySpans.entrySet()) {
        List<ServiceSpan> trace = traces.getOrDefault(gateway.getKey(), List.of());
        assertConnected(gateway.getKey(), gateway.getValue(), trace);
        assertThat(trace)
            .extracting(ServiceSpan::service)
            .as(describe(trace))
            .contains("shop-web", "user-svc", "item-svc", "order-svc", "stock-svc");
        // order-svc's pool fan-out: item and stock checks made on pool threads, and the pool-thread
        // JDBC write.
        assertThat(trace)
            .as(describe(trace))
            .anyMatch(
                s -> s.service().equals("item-svc") && s.span().getName().equals("GET /items/{id}"))
            .anyMatch(
                s ->
                    s.service().equals("stock-svc")
                        && s.span().getName().equals("GET /stock/{itemId}"))
            .anyMatch(
                s -> s.service().equals("order-svc") && s.span().getName().equals("INSERT orders"))
            .anyMatch(
                s ->
                    s.service().equals("user-svc")
                        && s.span().getName().equals("POST /users/{id}/notifications"));
      }
    }
  }

  /**
   * Every span of the trace hangs, through its parents, from the gateway's span: nothing is cut
   * off.
   */
  private static void assertConnected(
      String traceId, String gatewaySpanId, List<ServiceSpan> trace) {
    Set<String> ids = new HashSet<>();
    trace.forEach(s -> ids.add(HEX.formatHex(s.span().getSpanId().toByteArray())));
    for (ServiceSpan s : trace) {
      String parent = HEX.formatHex(s.span().getParentSpanId().toByteArray());
      assertThat(parent.equals(gatewaySpanId) || ids.contains(parent))
          .as(
              "span %s of %s in trace %s has a parent in the trace:%s",
              s.span().getName(), s.service(), traceId, describe(trace))
          .isTrue();
    }
  }

  private static Map<String, List<ServiceSpan>> awaitTraces(
      OtlpCollector collector, Set<String> traceIds, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<String, List<ServiceSpan>> traces = new HashMap<>();
    while (System.nanoTime() < deadline) {
      traces = byTrace(collector);
      boolean complete = true;
      for (String traceId : traceIds) {
        complete &=
            traces.getOrDefault(traceId, List.of()).stream()
                .anyMatch(s -> s.span().getName().equals("POST /users/{id}/notifications"));
      }
      if (complete) {
        Thread.sleep(1000); // let the last batches of every service arrive
        return byTrace(collector);
      }
      Thread.sleep(200);
    }
    return traces;
  }

  private static Map<String, List<ServiceSpan>> byTrace(OtlpCollector collector) {
    Map<String, List<ServiceSpan>> traces = new HashMap<>();
    for (OtlpCollector.Received request : collector.requests()) {
      for (ResourceSpans resourceSpans : request.body().getResourceSpansList()) {
        String service =
            resourceSpans.getResource().getAttributesList().stream()
                .filter(kv -> kv.getKey().equals("service.name"))
                .map(KeyValue::getValue)
                .map(v -> v.getStringValue())
                .findFirst()
                .orElse("?");
        for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
          for (Span span : scopeSpans.getSpansList()) {
            traces
                .computeIfAbsent(
                    HEX.formatHex(span.getTraceId().toByteArray()), id -> new ArrayList<>())
                .add(new ServiceSpan(service, span));
          }
        }
      }
    }
    return traces;
  }

  private static String describe(List<ServiceSpan> trace) {
    StringBuilder out = new StringBuilder();
    for (ServiceSpan s : trace) {
      out.append("\n  ")
          .append(s.service())
          .append(' ')
          .append(s.span().getName())
          .append(" id=")
          .append(HEX.formatHex(s.span().getSpanId().toByteArray()))
          .append(" parent=")
          .append(HEX.formatHex(s.span().getParentSpanId().toByteArray()));
    }
    return out.toString();
  }

  private static String randomHex(int bytes) {
    byte[] value = new byte[bytes];
    ThreadLocalRandom.current().nextBytes(value);
    value[0] |= 1; // never all zero
    return HEX.formatHex(value);
  }

  record ServiceSpan(String service, Span span) {}
}
