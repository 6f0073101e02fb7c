package dev.threadline.agent.it.servlet;

import static dev.threadline.agent.it.SpanTree.attribute;
import static org.assertj.core.api.Assertions.assertThat;

import dev.threadline.agent.it.AgentApp;
import dev.threadline.agent.it.SpanTree;
import dev.threadline.sdk.testing.OtlpCollector;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The servlet instrumentation alone (embedded Tomcat, no Spring): each request makes one SERVER
 * span in the caller's trace, even through a filter and a servlet, with the HTTP attributes, and a
 * servlet that throws marks its span as a 500 error.
 */
class ServletIT {
  private static final String HELLO_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String BOOM_TRACE = "5bf92f3577b34da6a3ce929d0e0e4737";
  private static final String CALLER_SPAN = "00f067aa0ba902b7";

  @Test
  void requestsBecomeServerSpansInTheCallersTrace() throws Exception {
    try (OtlpCollector collector = OtlpCollector.start();
        AgentApp app = AgentApp.scenario(ServletScenario.class, "/health", collector.baseUrl())) {
      assertThat(
              app.get(
                      "/hello?name=x",
                      Map.of("traceparent", traceparent(HELLO_TRACE), "User-Agent", "servlet-it"))
                  .statusCode())
          .isEqualTo(200);
      assertThat(app.get("/boom", Map.of("traceparent", traceparent(BOOM_TRACE))).statusCode())
          .isEqualTo(500);

      SpanTree spans = new SpanTree(awaitTraces(collector, HELLO_TRACE, BOOM_TRACE));
      Span hello = spans.child(HELLO_TRACE, CALLER_SPAN, "GET");
      assertThat(hello.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
      assertThat(attribute(hello, "http.request.method")).isEqualTo("GET");
      assertThat(attribute(hello, "url.path")).isEqualTo("/hello");
      assertThat(attribute(hello, "url.query")).isEqualTo("name=x");
      assertThat(attribute(hello, "url.scheme")).isEqualTo("http");
      assertThat(attribute(hello, "server.address")).isEqualTo("127.0.0.1");
      assertThat(attribute(hello, "client.address")).isEqualTo("127.0.0.1");
      assertThat(attribute(hello, "user_agent.original")).isEqualTo("servlet-it");
      assertThat(attribute(hello, "network.protocol.version")).isEqualTo("1.1");
      assertThat(attribute(hello, "http.response.status_code")).isEqualTo("200");
      assertThat(attribute(hello, "http.route")).as("no framework, no route").isNull();
      assertThat(hello.getStatus().getCode()).isNotEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
      // The filter and the servlet beneath it make one span.
      assertThat(spans.ofTrace(HELLO_TRACE)).hasSize(1);

      Span boom = spans.child(BOOM_TRACE, CALLER_SPAN, "GET");
      assertThat(attribute(boom, "http.response.status_code")).isEqualTo("500");
      assertThat(attribute(boom, "error.type")).isEqualTo("jakarta.servlet.ServletException");
      assertThat(boom.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
      assertThat(boom.getEventsList())
          .anySatisfy(event -> assertThat(event.getName()).isEqualTo("exception"));

      assertThat(app.output()).doesNotContain("failed and is now disabled");
    }
  }

  private static String traceparent(String traceId) {
    return "00-" + traceId + "-" + CALLER_SPAN + "-01";
  }

  /** Waits until a span of each trace arrived; returns every span received. */
  private static List<Span> awaitTraces(OtlpCollector collector, String... traceIds)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (System.nanoTime() < deadline) {
      SpanTree spans = new SpanTree(collector.spans());
      if (Arrays.stream(traceIds).allMatch(id -> !spans.ofTrace(id).isEmpty())) {
        break;
      }
      Thread.sleep(20);
    }
    return collector.spans();
  }
}
