package dev.threadline.agent.instrumentation.javahttpclient;

import static dev.threadline.agent.AgentRun.attribute;
import static dev.threadline.agent.AgentRun.hex;
import static org.assertj.core.api.Assertions.assertThat;

import dev.threadline.agent.AgentRun;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JavaHttpClientIT {

  @Test
  void syncAndAsyncSendsMakeClientSpansAndCarryTheirContext() throws Exception {
    AgentRun run = AgentRun.scenario(JavaHttpClientScenario.class, 2, Map.of());

    // Exactly the application's two calls: the agent's own OTLP exports, made with the same HTTP
    // client, are
    // never traced.
    assertThat(run.spans()).hasSize(2);
    for (String path : new String[] {"/ok", "/fail"}) {
      Span span =
          run.spans().stream()
              .filter(s -> attribute(s, "url.full").endsWith(path))
              .findFirst()
              .orElseThrow();
      assertThat(span.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
      URI url = URI.create(attribute(span, "url.full"));
      assertThat(attribute(span, "server.address")).isEqualTo("127.0.0.1");
      assertThat(attribute(span, "server.port")).isEqualTo(String.valueOf(url.getPort()));
      assertThat(run.traceparentReceived(path))
          .startsWith("00-" + hex(span.getTraceId()) + "-" + hex(span.getSpanId()) + "-");
    }
    Span async =
        run.spans().stream()
            .filter(s -> attribute(s, "url.full").endsWith("/fail"))
            .findFirst()
            .orElseThrow();
    assertThat(attribute(async, "http.response.status_code")).isEqualTo("503");
    assertThat(async.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
  }
}
