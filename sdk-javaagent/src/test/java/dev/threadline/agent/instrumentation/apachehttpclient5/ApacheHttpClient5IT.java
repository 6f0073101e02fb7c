package dev.threadline.agent.instrumentation.apachehttpclient5;

import static dev.threadline.agent.AgentRun.attribute;
import static dev.threadline.agent.AgentRun.hex;
import static org.assertj.core.api.Assertions.assertThat;

import dev.threadline.agent.AgentRun;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApacheHttpClient5IT {

  @Test
  void executeMakesOneClientSpanAndInjectsItsContext() throws Exception {
    AgentRun run = AgentRun.scenario(ApacheHttpClient5Scenario.class, 1, Map.of());

    assertThat(run.spans()).hasSize(1);
    Span span = run.spans().get(0);
    assertThat(span.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
    assertThat(attribute(span, "url.full")).endsWith("/ok?q=1");
    assertThat(attribute(span, "http.response.status_code")).isEqualTo("200");
    assertThat(run.traceparentReceived("/ok"))
        .startsWith("00-" + hex(span.getTraceId()) + "-" + hex(span.getSpanId()) + "-");
  }
}
