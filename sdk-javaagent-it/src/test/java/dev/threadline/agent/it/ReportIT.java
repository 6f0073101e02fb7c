package dev.threadline.agent.it;

import static dev.threadline.agent.it.SpanTree.attribute;
import static dev.threadline.agent.it.SpanTree.id;
import static org.assertj.core.api.Assertions.assertThat;

import dev.threadline.sdk.testing.OtlpCollector;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The request the whole-process overhead benchmark drives ({@code benchmarks/overhead/run}): {@code
 * GET /report} answers with 11 rows and makes 13 spans, server, controller and one JDBC span per
 * SELECT under the controller.
 */
class ReportIT {
  private static final String TRACE = "5bf92f3577b34da6a3ce929d0e0e4737";
  private static final String PARENT = "10f067aa0ba902b8";

  @Test
  void oneReportIsAServerSpanAControllerSpanAndElevenSelects() throws Exception {
    try (OtlpCollector collector = OtlpCollector.start();
        AgentApp app = AgentApp.shop(true, collector.baseUrl())) {
      HttpResponse<String> report =
          app.get("/report", Map.of("traceparent", "00-" + TRACE + "-" + PARENT + "-01"));
      assertThat(report.statusCode()).as(report.body()).isEqualTo(200);
      assertThat(report.body())
          .isEqualTo("{\"queries\":11,\"names\":[" + "\"coffee\",".repeat(10) + "\"coffee\"]}");

      SpanTree spans =
          new SpanTree(collector.awaitSpansNamed(Duration.ofSeconds(15), "GET /report"));
      Span server = spans.child(TRACE, PARENT, "GET /report");
      assertThat(server.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
      Span controller = spans.child(TRACE, id(server), "ReportController.report");
      assertThat(spans.ofTrace(TRACE))
          .filteredOn(s -> s.getName().equals("SELECT items"))
          .hasSize(11)
          .allSatisfy(
              query -> {
                assertThat(query.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
                assertThat(SpanTree.hex(query.getParentSpanId().toByteArray()))
                    .isEqualTo(id(controller));
                assertThat(attribute(query, "db.system")).isEqualTo("h2");
              });
      assertThat(spans.ofTrace(TRACE)).hasSize(13);
    }
  }
}
