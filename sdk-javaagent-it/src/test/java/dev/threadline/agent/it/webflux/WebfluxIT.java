package dev.threadline.agent.it.webflux;

import static dev.threadline.agent.it.SpanTree.attribute;
import static dev.threadline.agent.it.SpanTree.hex;
import static dev.threadline.agent.it.SpanTree.id;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.threadline.agent.it.AgentApp;
import dev.threadline.agent.it.SpanTree;
import dev.threadline.sdk.testing.OtlpCollector;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Spring WebFlux on Reactor Netty with the agent: a request's SERVER span is the parent of the
 * CLIENT span of each WebClient (or java.net.http) call its reactive chain makes, wherever in the
 * chain and on whichever thread the call is made, and the downstream's SERVER span is that CLIENT
 * span's child. Under concurrent load on the few event loops no span lands in another request's
 * trace, and between requests an event loop is in no context.
 */
class WebfluxIT {
  private static final String CALLER_SPAN = "00f067aa0ba902b7";

  /** An endpoint, the downstream calls it makes, and the thread it makes them from. */
  private record Endpoint(String path, int calls, String threadPrefix) {}

  private static final List<Endpoint> ENDPOINTS =
      List.of(
          new Endpoint("/direct", 1, "reactor-http-"),
          new Endpoint("/publish-on", 1, "parallel-"),
          new Endpoint("/subscribe-on", 1, "boundedElastic-"),
          new Endpoint("/flat-map", 4, null),
          new Endpoint("/from-future", 1, null),
          new Endpoint("/blocking-http", 1, "boundedElastic-"));

  @Test
  void everyCallInTheChainIsAChildOfTheRequestsServerSpan() throws Exception {
    try (OtlpCollector collector = OtlpCollector.start();
        AgentApp app = start(collector)) {
      int expected = 0;
      for (int i = 0; i < ENDPOINTS.size(); i++) {
        Endpoint endpoint = ENDPOINTS.get(i);
        HttpResponse<String> response =
            app.get(endpoint.path(), Map.of("traceparent", traceparent(trace(0, i))));
        assertThat(response.statusCode())
            .as(endpoint.path() + ": " + response.body())
            .isEqualTo(200);
        if (endpoint.threadPrefix() != null) {
          assertThat(response.body())
              .as("the call was made on the thread the chain moved to")
              .contains("@" + endpoint.threadPrefix());
        }
        expected += 1 + 2 * endpoint.calls();
      }
      assertThat(app.get("/flat-map", Map.of()).body())
          .as("the flat-map calls ran on both schedulers")
          .contains("@parallel-")
          .contains("@boundedElastic-");
      expected += 9;
      assertThat(app.get("/fail", Map.of("traceparent", traceparent(trace(0, 99)))).statusCode())
          .isEqualTo(500);
      expected += 1;

      SpanTree spans = new SpanTree(awaitRequestSpans(collector, expected, Duration.ofSeconds(30)));
      for (int i = 0; i < ENDPOINTS.size(); i++) {
        Endpoint endpoint = ENDPOINTS.get(i);
        Span server = assertRequestTrace(spans, trace(0, i), endpoint);
        assertThat(server.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
        assertThat(attribute(server, "http.route")).isEqualTo(endpoint.path());
        assertThat(attribute(server, "http.request.method")).isEqualTo("GET");
        assertThat(attribute(server, "url.path")).isEqualTo(endpoint.path());
        assertThat(attribute(server, "url.scheme")).isEqualTo("http");
        assertThat(attribute(server, "server.address")).isEqualTo("127.0.0.1");
        assertThat(attribute(server, "client.address")).isEqualTo("127.0.0.1");
        assertThat(attribute(server, "network.protocol.version")).isEqualTo("1.1");
        assertThat(attribute(server, "http.response.status_code")).isEqualTo("200");
      }
      Span fail = spans.child(trace(0, 99), CALLER_SPAN, "GET /fail");
      assertThat(attribute(fail, "http.response.status_code")).isEqualTo("500");
      assertThat(attribute(fail, "error.type")).isEqualTo("500");
      assertThat(fail.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
      assertThat(app.output()).doesNotContain("failed and is now disabled");
    }
  }

  @Test
  void concurrentRequestsOnTheEventLoopsNeverShareATrace() throws Exception {
    int clients = 8;
    int perClient = 50;
    try (OtlpCollector collector = OtlpCollector.start();
        AgentApp app = start(collector);
        ProbeTarget probeTarget = new ProbeTarget()) {
      ExecutorService pool = Executors.newFixedThreadPool(clients);
      List<Future<List<String>>> failures = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        int client = c;
        failures.add(pool.submit(() -> load(app.port(), client, perClient)));
      }
      List<String> failed = new ArrayList<>();
      for (Future<List<String>> future : failures) {
        failed.addAll(future.get());
      }
      pool.shutdown();
      assertThat(failed).as("every request answered 200").isEmpty();

      int expected = 0;
      Set<String> traces = new HashSet<>();
      for (int c = 1; c <= clients; c++) {
        for (int i = 0; i < perClient; i++) {
          expected += 1 + 2 * endpoint(i).calls();
          traces.add(trace(c, i));
        }
      }
      List<Span> received = awaitRequestSpans(collector, expected, Duration.ofSeconds(60));
      SpanTree spans = new SpanTree(received);
      for (int c = 1; c <= clients; c++) {
        for (int i = 0; i < perClient; i++) {
          assertRequestTrace(spans, trace(c, i), endpoint(i));
        }
      }
      List<Span> foreign =
          received.stream()
              .filter(span -> !traces.contains(hex(span.getTraceId().toByteArray())))
              .toList();
      assertThat(foreign).as("spans outside the requests' traces").isEmpty();
      assertThat(received).hasSize(expected);

      // Each probe runs a task on the event loop of its (new) connection once that loop is done
      // with the request; the call made there must belong to no request.
      Set<String> loops = new HashSet<>();
      for (int k = 0; k < 8; k++) {
        HttpClient fresh = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> response =
            fresh.send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:"
                                + app.port()
                                + "/probe?target="
                                + probeTarget.url("/probe-target/" + k)))
                    .header("traceparent", traceparent(trace(9, k)))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).startsWith("reactor-http-");
        loops.add(response.body());
      }
      assertThat(loops).as("the probes ran on several event loops").hasSizeGreaterThan(1);
      List<Span> all = awaitRequestSpans(collector, expected + 8 * 2, Duration.ofSeconds(30));
      for (int k = 0; k < 8; k++) {
        String path = "/probe-target/" + k;
        List<Span> calls =
            all.stream()
                .filter(span -> String.valueOf(attribute(span, "url.full")).endsWith(path))
                .toList();
        assertThat(calls).as("one CLIENT span for " + path).hasSize(1);
        Span call = calls.get(0);
        assertThat(call.getParentSpanId().isEmpty())
            .as(path + " was called with no context current on the event loop")
            .isTrue();
        String callTrace = hex(call.getTraceId().toByteArray());
        assertThat(new SpanTree(all).ofTrace(callTrace)).hasSize(1);
        assertThat(probeTarget.traceparent(path)).contains(callTrace);
        Span probe = new SpanTree(all).child(trace(9, k), CALLER_SPAN, "GET /probe");
        assertThat(new SpanTree(all).ofTrace(trace(9, k))).containsExactly(probe);
      }
      assertThat(app.output()).doesNotContain("failed and is now disabled");
    }
  }

  /** Client {@code client}'s {@code count} requests, in order; returns the ones that failed. */
  private static List<String> load(int port, int client, int count) throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    List<String> failed = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String path = endpoint(i).path();
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                  .header("traceparent", traceparent(trace(client + 1, i)))
                  .timeout(Duration.ofSeconds(30))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        failed.add(path + " → " + response.statusCode() + " " + response.body());
      }
    }
    return failed;
  }

  /**
   * Checks that trace {@code traceId} is exactly the request's SERVER span under the caller, one
   * CLIENT span under it per downstream call, and the downstream's SERVER span under each; returns
   * the request's SERVER span.
   */
  private static Span assertRequestTrace(SpanTree spans, String traceId, Endpoint endpoint) {
    Span server = spans.child(traceId, CALLER_SPAN, "GET " + endpoint.path());
    List<Span> trace = spans.ofTrace(traceId);
    List<Span> calls =
        trace.stream()
            .filter(span -> hex(span.getParentSpanId().toByteArray()).equals(id(server)))
            .toList();
    assertThat(calls)
        .as("%s: the calls under the request's span%s", endpoint.path(), SpanTree.describe(trace))
        .hasSize(endpoint.calls())
        .allSatisfy(
            call -> {
              assertThat(call.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
              assertThat(call.getName()).isEqualTo("GET");
              assertThat(attribute(call, "url.full")).contains("/downstream/");
              assertThat(attribute(call, "http.response.status_code")).isEqualTo("200");
            });
    for (Span call : calls) {
      Span downstream = spans.child(traceId, id(call), "GET /downstream/{name}");
      assertThat(downstream.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
      assertThat(server.getEndTimeUnixNano())
          .as("the request's span ends with its response, after the call's answer arrived")
          .isGreaterThanOrEqualTo(call.getEndTimeUnixNano());
    }
    assertThat(trace)
        .as("%s: nothing else in the request's trace%s", endpoint.path(), SpanTree.describe(trace))
        .hasSize(1 + 2 * endpoint.calls());
    return server;
  }

  /**
   * Waits until {@code count} spans other than those of the start-up health checks arrived; returns
   * them (no more than have arrived).
   */
  private static List<Span> awaitRequestSpans(OtlpCollector collector, int count, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Span> spans = withoutHealthChecks(collector.spans());
    while (spans.size() < count && System.nanoTime() < deadline) {
      collector.awaitSpans(collector.spans().size() + 1, Duration.ofMillis(500));
      spans = withoutHealthChecks(collector.spans());
    }
    return spans;
  }

  private static List<Span> withoutHealthChecks(List<Span> spans) {
    return spans.stream()
        .filter(span -> !"/downstream/health".equals(attribute(span, "url.path")))
        .toList();
  }

  private static AgentApp start(OtlpCollector collector) throws Exception {
    return AgentApp.jar(
        System.getProperty("webflux.app.jar"),
        "/downstream/health",
        collector.baseUrl(),
        // A load burst must not overflow the export queue.
        List.of("-Dotel.bsp.max.queue.size=20000"));
  }

  private static Endpoint endpoint(int request) {
    return ENDPOINTS.get(request % ENDPOINTS.size());
  }

  /** The trace id of request {@code i} of client {@code client} (0: the single requests). */
  private static String trace(int client, int i) {
    return String.format("4bf92f3577b34da6%08x%08x", client, i);
  }

  private static String traceparent(String traceId) {
    return "00-" + traceId + "-" + CALLER_SPAN + "-01";
  }

  /** A plain HTTP server for the probes' calls; remembers the traceparent each path received. */
  private static final class ProbeTarget implements AutoCloseable {
    private final HttpServer server;
    private final Map<String, String> traceparents = new ConcurrentHashMap<>();

    ProbeTarget() throws Exception {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
      server.createContext(
          "/",
          exchange -> {
            String traceparent = exchange.getRequestHeaders().getFirst("traceparent");
            traceparents.put(exchange.getRequestURI().getPath(), String.valueOf(traceparent));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
          });
      server.start();
    }

    String url(String path) {
      return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    String traceparent(String path) {
      return traceparents.get(path);
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }
}
