package dev.threadline.agent.instrumentation.httpurlconnection;

import static dev.threadline.agent.AgentRun.attribute;
import static dev.threadline.agent.AgentRun.hex;
import static org.assertj.core.api.Assertions.assertThat;

import dev.threadline.agent.AgentRun;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpUrlConnectionIT {

  @Test
  void clientSpanPerRequestWithItsContextInjected() throws Exception {
    AgentRun run = AgentRun.scenario(HttpUrlConnectionScenario.class, 2, Map.of());

    assertThat(run.spans())
        .hasSize(2)
        .allSatisfy(
            span -> {
              assertThat(span.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
              assertThat(span.getName()).isEqualTo("GET");
              assertThat(attribute(span, "http.request.method")).isEqualTo("GET");
              assertThat(attribute(span, "server.address")).isEqualTo("127.0.0.1");
            });
    for (String path : new String[] {"/ok", "/fail"}) {
      Span span =
          run.spans().stream()
              .filter(s -> attribute(s, "url.full").endsWith(path))
              .findFirst()
              .orElseThrow();
      assertThat(run.traceparentReceived(path))
          .startsWith("00-" + hex(span.getTraceId()) + "-" + hex(span.getSpanId()) + "-");
    }
    Span failed =
        run.spans().stream()
            .filter(s -> attribute(s, "url.full").endsWith("/fail"))
            .findFirst()
            .orElseThrow();
    assertThat(attribute(failed, "http.response.status_code")).isEqualTo("503");
    assertThat(failed.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
    assertThat(run.output()).contains("status /ok 200", "status /fail 503");
  }

  @Test
  void switchedOffBySetting() throws Exception {
    AgentRun run =
        AgentRun.scenario(
            HttpUrlConnectionScenario.class,
            0,
            Map.of("THREADLINE_INSTRUMENTATION_HTTP_URL_CONNECTION_ENABLED", "false"));
    assertThat(run.spans()).isEmpty();
    assertThat(run.traceparentReceived("/ok")).isEqualTo("null");
    assertThat(run.output())
        .contains("instrumentation 'http-url-connection' is switched off by setting");
  }
}
