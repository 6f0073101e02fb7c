package dev.threadline.samples.webshop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.threadline.sdk.testing.OtlpCollector;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
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
 * The WebShop with the agent on every service, behind a real nginx that passes the caller's {@code
 * traceparent} on (nginx itself makes no span: the test plays the traced caller in front of it).
 * Each shopping request must come back as one trace with the exact parent chain of order-svc's
 * fan-out: the item and stock checks are CLIENT spans made on order-svc's pool threads under its
 * controller span, item-svc's and stock-svc's SERVER spans hang from exactly those CLIENT spans,
 * and the JDBC {@code INSERT orders} written from a pool thread hangs from the controller span too.
 * The agent records no thread attribute, so the pool hand-off shows as the parent link: without it,
 * the pool-thread spans would start traces of their own.
 */
class WebShopIT {
  private static final int REQUESTS = 50;
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void eachShoppingRequestIsOneTraceWithOrderSvcPoolFanOutUnderItsControllerSpan()
      throws Exception {
    try (OtlpCollector collector = OtlpCollector.start();
        WebShopProcesses shop = new WebShopProcesses()) {
      shop.startServices(collector.baseUrl());
      shop.startGateway();

      Map<String, String> callerSpans = new HashMap<>();
      for (int i = 0; i < REQUESTS; i++) {
        String traceId = randomHex(16);
        String spanId = randomHex(8);
        callerSpans.put(traceId, spanId);
        HttpResponse<String> response =
            shop.throughGateway(
                "/shop/full-test?count=1",
                Map.of("traceparent", "00-" + traceId + "-" + spanId + "-01"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("\"count\":1", "\"success\":1", "\"failed\":0");
      }
      // nginx logs a request after it has sent the response: the last line may come a moment later.
      long logged = 0;
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (true) {
        logged = shop.accessLog().lines().filter(l -> l.contains("/shop/full-test")).count();
        if (logged >= REQUESTS || System.nanoTime() > deadline) {
          break;
        }
        Thread.sleep(20); // polls the log file until its last line is there
      }
      assertThat(logged).isEqualTo(REQUESTS);

      Map<String, List<ServiceSpan>> traces =
          awaitChains(collector, callerSpans, Duration.ofSeconds(60));
      for (Map.Entry<String, String> caller : callerSpans.entrySet()) {
        List<ServiceSpan> trace = traces.getOrDefault(caller.getKey(), List.of());
        assertConnected(caller.getKey(), caller.getValue(), trace);
        assertThat(trace)
            .extracting(ServiceSpan::service)
            .as(describe(trace))
            .contains("shop-web", "user-svc", "item-svc", "order-svc", "stock-svc");
        assertThat(chainProblems(caller.getValue(), trace))
            .as("trace %s:%s", caller.getKey(), describe(trace))
            .isEmpty();
      }
    }
  }

  /**
   * What is wrong with the parent chain of one shopping request; empty when it is exactly: the
   * caller's span → one shop-web SERVER span; one order-svc {@code POST /orders} SERVER span under
   * a shop-web CLIENT span → its one {@code OrderController.create} span → as many item checks as
   * stock checks (CLIENT spans, made on the pool) → exactly one item-svc {@code GET /items/{id}} or
   * stock-svc {@code GET /stock/{itemId}} SERVER span each, and nothing else of those services
   * under order-svc; and exactly one {@code INSERT orders} CLIENT span (the pool-thread JDBC write)
   * under the controller span.
   */
  private static List<String> chainProblems(String callerSpanId, List<ServiceSpan> trace) {
    List<String> problems = new ArrayList<>();
    List<ServiceSpan> roots = trace.stream().filter(s -> parentOf(s).equals(callerSpanId)).toList();
    if (roots.size() != 1
        || !roots.get(0).service().equals("shop-web")
        || roots.get(0).span().getKind() != SpanKind.SPAN_KIND_SERVER) {
      problems.add("not exactly one shop-web SERVER span under the caller's span: " + roots);
    }
    List<ServiceSpan> orderServers =
        trace.stream()
            .filter(s -> is(s, "order-svc", SpanKind.SPAN_KIND_SERVER, "POST /orders"))
            .toList();
    if (orderServers.size() != 1) {
      problems.add(orderServers.size() + " order-svc POST /orders SERVER spans");
      return problems;
    }
    ServiceSpan orderServer = orderServers.get(0);
    ServiceSpan orderParent = byId(trace, parentOf(orderServer));
    if (orderParent == null
        || !orderParent.service().equals("shop-web")
        || orderParent.span().getKind() != SpanKind.SPAN_KIND_CLIENT) {
      problems.add("POST /orders is not under a shop-web CLIENT span");
    }
    List<ServiceSpan> controllers = childrenOf(trace, orderServer);
    if (controllers.size() != 1
        || !is(
            controllers.get(0),
            "order-svc",
            SpanKind.SPAN_KIND_INTERNAL,
            "OrderController.create")) {
      problems.add("POST /orders does not have exactly one OrderController.create child");
      return problems;
    }
    ServiceSpan controller = controllers.get(0);
    List<ServiceSpan> underController = childrenOf(trace, controller);
    Set<String> itemChecks = new HashSet<>();
    Set<String> stockChecks = new HashSet<>();
    for (ServiceSpan client : underController) {
      if (client.span().getKind() != SpanKind.SPAN_KIND_CLIENT
          || !client.span().getName().equals("GET")) {
        continue;
      }
      String url = stringAttribute(client, "url.full");
      if (url.contains("/items/")) {
        itemChecks.add(idOf(client));
      } else if (url.contains("/stock/")) {
        stockChecks.add(idOf(client));
      }
    }
    if (itemChecks.isEmpty() || itemChecks.size() != stockChecks.size()) {
      problems.add(
          itemChecks.size()
              + " item checks and "
              + stockChecks.size()
              + " stock checks under the controller span");
    }
    problems.addAll(servedExactlyOnce(trace, "item-svc", "GET /items/{id}", itemChecks));
    problems.addAll(servedExactlyOnce(trace, "stock-svc", "GET /stock/{itemId}", stockChecks));
    List<ServiceSpan> inserts =
        trace.stream()
            .filter(s -> is(s, "order-svc", SpanKind.SPAN_KIND_CLIENT, "INSERT orders"))
            .toList();
    if (inserts.size() != 1 || !parentOf(inserts.get(0)).equals(idOf(controller))) {
      problems.add("not exactly one INSERT orders CLIENT span under the controller span");
    }
    return problems;
  }

  /**
   * The {@code service}'s SERVER spans that order-svc caused are exactly one per CLIENT span in
   * {@code clients}.
   */
  private static List<String> servedExactlyOnce(
      List<ServiceSpan> trace, String service, String route, Set<String> clients) {
    List<String> parents =
        trace.stream()
            .filter(s -> s.service().equals(service))
            .filter(s -> s.span().getKind() == SpanKind.SPAN_KIND_SERVER)
            .filter(
                s -> {
                  ServiceSpan parent = byId(trace, parentOf(s));
                  return parent != null && parent.service().equals("order-svc");
                })
            .map(
                s ->
                    s.span().getName().equals(route)
                        ? parentOf(s)
                        : "wrong route " + s.span().getName())
            .toList();
    if (parents.size() == clients.size() && Set.copyOf(parents).equals(clients)) {
      return List.of();
    }
    return List.of(
        service
            + " SERVER spans under order-svc have parents "
            + parents
            + ", expected one under each of "
            + clients);
  }

  private static boolean is(ServiceSpan s, String service, SpanKind kind, String name) {
    return s.service().equals(service)
        && s.span().getKind() == kind
        && s.span().getName().equals(name);
  }

  private static List<ServiceSpan> childrenOf(List<ServiceSpan> trace, ServiceSpan parent) {
    String id = idOf(parent);
    return trace.stream().filter(s -> parentOf(s).equals(id)).toList();
  }

  private static ServiceSpan byId(List<ServiceSpan> trace, String id) {
    return trace.stream().filter(s -> idOf(s).equals(id)).findFirst().orElse(null);
  }

  private static String idOf(ServiceSpan s) {
    return HEX.formatHex(s.span().getSpanId().toByteArray());
  }

  private static String parentOf(ServiceSpan s) {
    return HEX.formatHex(s.span().getParentSpanId().toByteArray());
  }

  private static String stringAttribute(ServiceSpan s, String key) {
    return s.span().getAttributesList().stream()
        .filter(kv -> kv.getKey().equals(key))
        .map(kv -> kv.getValue().getStringValue())
        .findFirst()
        .orElse("");
  }

  /**
   * Every span of the trace hangs, through its parents, from the caller's span: nothing is cut off.
   */
  private static void assertConnected(
      String traceId, String callerSpanId, List<ServiceSpan> trace) {
    Set<String> ids = new HashSet<>();
    trace.forEach(s -> ids.add(idOf(s)));
    for (ServiceSpan s : trace) {
      String parent = parentOf(s);
      assertThat(parent.equals(callerSpanId) || ids.contains(parent))
          .as(
              "span %s of %s in trace %s has a parent in the trace:%s",
              s.span().getName(), s.service(), traceId, describe(trace))
          .isTrue();
    }
  }

  /**
   * Waits until every trace holds its {@code @Async} notification and its whole order chain (the
   * event the assertions need), or the timeout passes.
   */
  private static Map<String, List<ServiceSpan>> awaitChains(
      OtlpCollector collector, Map<String, String> callerSpans, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<String, List<ServiceSpan>> traces = byTrace(collector);
    while (System.nanoTime() < deadline) {
      boolean complete = true;
      for (Map.Entry<String, String> caller : callerSpans.entrySet()) {
        List<ServiceSpan> trace = traces.getOrDefault(caller.getKey(), List.of());
        complete &=
            trace.stream()
                    .anyMatch(s -> s.span().getName().equals("POST /users/{id}/notifications"))
                && chainProblems(caller.getValue(), trace).isEmpty();
      }
      if (complete) {
        return traces;
      }
      Thread.sleep(200);
      traces = byTrace(collector);
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
