package dev.threadline.agent.it.otelapi;

import static dev.threadline.agent.it.SpanTree.id;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.threadline.agent.it.AgentApp;
import dev.threadline.agent.it.SpanTree;
import dev.threadline.sdk.testing.OtlpCollector;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Spring Boot actuator tracing (Micrometer Tracing with its OpenTelemetry bridge, which builds an
 * OpenTelemetry SDK of its own and exports with Spring's OTLP exporter) beside the agent, both
 * exporting to one collector: Micrometer's spans parent on the agent's and the agent's on
 * Micrometer's, in one trace.
 */
class MicrometerTracingIT {

  @Test
  void micrometerSpansAndAgentSpansMakeOneTrace() throws Exception {
    try (OtlpCollector collector = OtlpCollector.start();
        AgentApp app =
            AgentApp.shop(
                false,
                collector.baseUrl(),
                "--management.tracing.enabled=true",
                "--management.observations.enable.all=true",
                "--management.tracing.sampling.probability=1.0",
                "--management.otlp.tracing.endpoint=" + collector.baseUrl() + "/v1/traces")) {
      HttpResponse<String> response = app.get("/micrometer/span", Map.of());
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      JsonObject seen = JsonParser.parseString(response.body()).getAsJsonObject();
      SpanTree spans =
          new SpanTree(
              collector.awaitSpansNamed(
                  Duration.ofSeconds(30),
                  "GET /micrometer/span",
                  "micrometer-work",
                  "ManualSpanController.echo"));
      Span server =
          collector.spans().stream()
              .filter(s -> s.getName().equals("GET /micrometer/span"))
              .findFirst()
              .orElseThrow();
      assertThat(server.getParentSpanId().isEmpty()).isTrue();
      String trace = SpanTree.hex(server.getTraceId().toByteArray());

      // Micrometer's server observation runs inside the agent's SERVER span; the agent's
      // controller span, inside Micrometer's span, is its child.
      Span observation = spans.child(trace, id(server), "http get /micrometer/span");
      assertThat(observation.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
      Span controller = spans.child(trace, id(observation), "MicrometerController.span");
      assertThat(seen.get("apiCurrent").getAsString()).isEqualTo(id(controller));

      // Micrometer's own span parents on the agent's; the agent's CLIENT span made in its scope
      // parents on Micrometer's.
      Span work = spans.child(trace, id(controller), "micrometer-work");
      assertThat(seen.getAsJsonObject("work").get("spanId").getAsString()).isEqualTo(id(work));
      assertThat(seen.get("apiCurrentInScope").getAsString()).isEqualTo(id(work));
      Span call = spans.child(trace, id(work), "GET");
      assertThat(call.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);

      // The callee: the agent's SERVER span and Micrometer's (from the traceparent the agent sent)
      // both under the call; the controller span under Micrometer's, current there.
      spans.child(trace, id(call), "GET /manual/echo");
      Span echoObservation = spans.child(trace, id(call), "http get /manual/echo");
      Span echoController = spans.child(trace, id(echoObservation), "ManualSpanController.echo");
      assertThat(
              seen.getAsJsonObject("echo").getAsJsonObject("current").get("spanId").getAsString())
          .isEqualTo(id(echoController));
      assertThat(spans.ofTrace(trace)).as(SpanTree.describe(spans.ofTrace(trace))).hasSize(8);
      assertThat(app.output()).doesNotContain("failed and is now disabled");
    }
  }
}
