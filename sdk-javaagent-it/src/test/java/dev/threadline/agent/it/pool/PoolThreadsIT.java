package dev.threadline.agent.it.pool;

import static dev.threadline.agent.it.SpanTree.attribute;
import static dev.threadline.agent.it.SpanTree.hex;
import static dev.threadline.agent.it.SpanTree.id;
import static org.assertj.core.api.Assertions.assertThat;

import dev.threadline.agent.it.AgentApp;
import dev.threadline.agent.it.SpanTree;
import dev.threadline.sdk.testing.OtlpCollector;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Server and pool threads never run in a request's context. Traced requests make HikariCP open
 * connections while they wait (on its connection-adder thread); 30 s later HikariCP's housekeeper
 * retires those connections and the pool opens a new one, at the end of a chain of pool threads
 * that began in those requests. Every connection's own query ({@link PoolThreadsScenario#INIT_SQL})
 * must be a root span outside every request's trace, the last one included (it is the positive
 * marker: it arrives after everything that must not happen), and each request's trace must hold
 * exactly its own three spans. Untraced requests served afterwards by the same Tomcat workers must
 * start traces of their own.
 */
class PoolThreadsIT {
  private static final String GATEWAY_SPAN = "00f067aa0ba902b7";
  private static final int UNTRACED = 20;

  @Test
  void poolAndServerThreadsMakeNoSpanInARequestsTrace() throws Exception {
    try (OtlpCollector collector = OtlpCollector.start();
        AgentApp app =
            AgentApp.scenario(PoolThreadsScenario.class, "/actuator/health", collector.baseUrl())) {
      ExecutorService clients = Executors.newFixedThreadPool(PoolThreadsScenario.HOLDERS);
      // The connection opened at start-up.
      assertThat(awaitInitSpans(collector, 1, Duration.ofSeconds(15))).isNotEmpty();
      long sent = System.currentTimeMillis();
      List<Future<HttpResponse<String>>> holders = new ArrayList<>();
      for (int i = 0; i < PoolThreadsScenario.HOLDERS; i++) {
        Map<String, String> headers =
            Map.of("traceparent", "00-" + trace(i) + "-" + GATEWAY_SPAN + "-01");
        holders.add(clients.submit(() -> app.get("/pool/hold", headers)));
      }
      clients.shutdown();
      for (Future<HttpResponse<String>> holder : holders) {
        HttpResponse<String> response = holder.get();
        assertThat(response.statusCode()).as(response.body() + app.output()).isEqualTo(200);
        assertThat(response.body()).startsWith("http-nio-");
      }
      for (int i = 0; i < UNTRACED; i++) {
        HttpResponse<String> item = app.get("/items/42", Map.of());
        assertThat(item.statusCode()).as(item.body() + app.output()).isEqualTo(200);
      }
      long answered = System.currentTimeMillis();
      // The pool grew to one connection per holder, most of them while the holders waited (start-up
      // may have opened a second one already: the health check and the start-up SQL can each take
      // one at the same time).
      long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
      while (startedBetween(initSpans(collector), 0, answered) < PoolThreadsScenario.HOLDERS
          && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(startedBetween(initSpans(collector), 0, answered))
          .as(
              "connections opened by the time the holders were answered:%s",
              describe(initSpans(collector)))
          .isEqualTo(PoolThreadsScenario.HOLDERS);
      assertThat(startedBetween(initSpans(collector), sent, answered))
          .as("connections opened while the holders waited:%s", describe(initSpans(collector)))
          .isGreaterThanOrEqualTo(PoolThreadsScenario.HOLDERS - 2);
      // The marker: a connection the pool opened after retiring the ones opened for the requests.
      deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while (startedBetween(initSpans(collector), answered, Long.MAX_VALUE) == 0
          && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      List<Span> init = initSpans(collector);
      assertThat(startedBetween(init, answered, Long.MAX_VALUE))
          .as("the pool reopened a connection:%s\n%s", describe(init), app.output())
          .isPositive();

      SpanTree spans = new SpanTree(collector.spans());
      Set<String> requestTraces = new HashSet<>();
      for (int i = 0; i < PoolThreadsScenario.HOLDERS; i++) {
        String trace = trace(i);
        requestTraces.add(trace);
        Span server = spans.child(trace, GATEWAY_SPAN, "GET /pool/hold");
        Span controller = spans.child(trace, id(server), "PoolThreadsScenario.hold");
        spans.child(trace, id(controller), "SELECT items");
        assertThat(spans.ofTrace(trace))
            .as(
                "trace %s holds only its own spans:%s",
                trace, SpanTree.describe(spans.ofTrace(trace)))
            .hasSize(3);
      }
      for (Span span : init) {
        assertThat(hex(span.getTraceId().toByteArray()))
            .as("a pool connection's query is in no request's trace")
            .isNotIn(requestTraces);
        assertThat(span.getParentSpanId().isEmpty())
            .as(
                "a pool connection's query is a root span, not under %s",
                hex(span.getParentSpanId().toByteArray()))
            .isTrue();
      }
      List<Span> untraced =
          collector.spans().stream().filter(s -> s.getName().equals("GET /items/{id}")).toList();
      assertThat(untraced).hasSize(UNTRACED);
      Set<String> untracedTraces = new HashSet<>();
      for (Span server : untraced) {
        String trace = hex(server.getTraceId().toByteArray());
        assertThat(server.getParentSpanId().isEmpty())
            .as(
                "an untraced request starts its own trace, not one under %s",
                hex(server.getParentSpanId().toByteArray()))
            .isTrue();
        untracedTraces.add(trace);
        assertThat(trace).isNotIn(requestTraces);
      }
      assertThat(untracedTraces).hasSize(UNTRACED);
      assertThat(app.output()).doesNotContain("failed and is now disabled");
    }
  }

  /** Waits until at least {@code count} spans of the pool's connection query arrived. */
  private static List<Span> awaitInitSpans(OtlpCollector collector, int count, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Span> init = initSpans(collector);
    while (init.size() < count && System.nanoTime() < deadline) {
      Thread.sleep(50);
      init = initSpans(collector);
    }
    return init;
  }

  /** How many of {@code spans} started in [{@code from}, {@code to}] (milliseconds). */
  private static long startedBetween(List<Span> spans, long from, long to) {
    return spans.stream()
        .filter(
            s -> {
              long started = s.getStartTimeUnixNano() / 1_000_000;
              return started >= from && started <= to;
            })
        .count();
  }

  private static String describe(List<Span> spans) {
    StringBuilder out = new StringBuilder();
    for (Span span : spans) {
      out.append("\n  ")
          .append(span.getName())
          .append(" start_ms=")
          .append(span.getStartTimeUnixNano() / 1_000_000)
          .append(" trace=")
          .append(hex(span.getTraceId().toByteArray()))
          .append(" parent=")
          .append(hex(span.getParentSpanId().toByteArray()));
    }
    return out.toString();
  }

  private static List<Span> initSpans(OtlpCollector collector) {
    return collector.spans().stream()
        .filter(
            s -> {
              String query = attribute(s, "db.query.text");
              return query != null && query.toUpperCase().contains("INFORMATION_SCHEMA.SESSIONS");
            })
        .toList();
  }

  private static String trace(int i) {
    return "6cf92f3577b34da6a3ce929d0e0e473" + i;
  }
}
