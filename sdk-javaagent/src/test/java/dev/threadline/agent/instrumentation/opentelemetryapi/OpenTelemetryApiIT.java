package dev.threadline.agent.instrumentation.opentelemetryapi;

import static dev.threadline.agent.AgentRun.attribute;
import static dev.threadline.agent.AgentRun.hex;
import static org.assertj.core.api.Assertions.assertThat;

import dev.threadline.agent.AgentRun;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpenTelemetryApiIT {

  @Test
  void theApplicationsApiMakesAgentSpansAndSharesTheAgentsContext() throws Exception {
    AgentRun run = AgentRun.scenario(OpenTelemetryApiScenario.class, 4, Map.of());

    assertThat(run.spans()).hasSize(4);
    Span parent = named(run, "api-parent");
    assertThat(parent.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
    assertThat(parent.getParentSpanId().isEmpty()).isTrue();
    Span ok = client(run, "/ok");
    assertThat(ok.getParentSpanId()).isEqualTo(parent.getSpanId());
    assertThat(ok.getTraceId()).isEqualTo(parent.getTraceId());
    Span child = named(run, "api-child");
    assertThat(child.getParentSpanId()).isEqualTo(parent.getSpanId());
    assertThat(attribute(child, "answer")).isEqualTo("42");

    // A span the agent did not make, current in the application's context, parents the agent's.
    Span fail = client(run, "/fail");
    assertThat(hex(fail.getTraceId())).isEqualTo(OpenTelemetryApiScenario.FOREIGN_TRACE);
    assertThat(hex(fail.getParentSpanId())).isEqualTo(OpenTelemetryApiScenario.FOREIGN_SPAN);
    assertThat(run.traceparentReceived("/fail"))
        .startsWith("00-" + OpenTelemetryApiScenario.FOREIGN_TRACE + "-" + hex(fail.getSpanId()));

    assertThat(run.output())
        .contains("isSet true")
        .contains("GlobalOpenTelemetry.set is ignored")
        .contains("foreign span current true")
        .contains("current after false")
        .doesNotContain("failed and is now disabled");
  }

  @Test
  void switchedOffTheApplicationsApiIsLeftAsItWas() throws Exception {
    AgentRun run =
        AgentRun.scenario(
            OpenTelemetryApiScenario.class,
            2,
            Map.of("THREADLINE_INSTRUMENTATION_OPENTELEMETRY_API_ENABLED", "false"));

    assertThat(run.spans()).hasSize(2);
    assertThat(run.spans())
        .allSatisfy(span -> assertThat(span.getParentSpanId().isEmpty()).isTrue());
    assertThat(run.output())
        .contains("isSet false")
        .doesNotContain("GlobalOpenTelemetry.set is ignored")
        .contains("foreign span current true");
  }

  private static Span named(AgentRun run, String name) {
    return run.spans().stream().filter(s -> s.getName().equals(name)).findFirst().orElseThrow();
  }

  private static Span client(AgentRun run, String path) {
    return run.spans().stream()
        .filter(s -> s.getKind() == Span.SpanKind.SPAN_KIND_CLIENT)
        .filter(s -> attribute(s, "url.full").endsWith(path))
        .findFirst()
        .orElseThrow();
  }
}
