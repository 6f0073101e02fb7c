package dev.threadline.agent.it.springwebmvc;

import static dev.threadline.agent.it.SpanTree.attribute;
import static dev.threadline.agent.it.SpanTree.id;
import static org.assertj.core.api.Assertions.assertThat;

import dev.threadline.agent.it.AgentApp;
import dev.threadline.agent.it.SpanTree;
import dev.threadline.sdk.testing.OtlpCollector;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Spring Web MVC instrumentation, on the Spring Boot test application: the request's SERVER
 * span is named after the matched pattern, and the controller method runs in an INTERNAL span of
 * its own, parent of the calls it makes.
 */
class SpringWebMvcIT {
  private static final String TRACE = "6bf92f3577b34da6a3ce929d0e0e4738";
  private static final String CALLER_SPAN = "00f067aa0ba902b7";

  @Test
  void controllerCallsGetASpanAndTheServerSpanItsRoute() throws Exception {
    try (OtlpCollector collector = OtlpCollector.start();
        AgentApp app = AgentApp.shop(false, collector.baseUrl())) {
      HttpResponse<String> item =
          app.get("/items/42", Map.of("traceparent", "00-" + TRACE + "-" + CALLER_SPAN + "-01"));
      assertThat(item.statusCode()).as(item.body()).isEqualTo(200);

      SpanTree spans =
          new SpanTree(
              collector.awaitSpansNamed(
                  Duration.ofSeconds(15), "GET /items/{id}", "ItemController.item"));
      Span server = spans.child(TRACE, CALLER_SPAN, "GET /items/{id}");
      assertThat(server.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
      assertThat(attribute(server, "http.route")).isEqualTo("/items/{id}");
      Span controller = spans.child(TRACE, id(server), "ItemController.item");
      assertThat(controller.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_INTERNAL);
      assertThat(attribute(controller, "code.function.name")).isEqualTo("ItemController.item");
      // The controller's query is its child, not the server span's.
      spans.child(TRACE, id(controller), "SELECT items");
      assertThat(spans.ofTrace(TRACE)).hasSize(3);
    }
  }
}
