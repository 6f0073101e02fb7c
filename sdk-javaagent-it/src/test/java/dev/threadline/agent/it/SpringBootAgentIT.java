package dev.threadline.agent.it;

import static dev.threadline.agent.it.SpanTree.attribute;
import static dev.threadline.agent.it.SpanTree.id;
import static org.assertj.core.api.Assertions.assertThat;

import dev.threadline.sdk.testing.OtlpCollector;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A real Spring Boot 3 application (embedded Tomcat, Spring MVC, RestTemplate, RestClient,
 * HikariCP, H2) with the agent attached, called as Kong would call it: the exported spans form one
 * tree under Kong's span.
 */
class SpringBootAgentIT {
  private static final String KONG_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String KONG_SPAN = "00f067aa0ba902b7";
  private static final String B3_TRACE = "80f198ee56343ba864fe8b2a57d3eff7";
  private static final String B3_SPAN = "e457b5a2e4d86bd1";

  @ParameterizedTest(name = "fat jar: {0}")
  @ValueSource(booleans = {false, true})
  void traceContinuesFromTheGatewayThroughEveryHop(boolean fatJar) throws Exception {
    try (OtlpCollector collector = OtlpCollector.start();
        AgentApp app = AgentApp.shop(fatJar, collector.baseUrl())) {
      HttpResponse<String> item =
          app.get(
              "/front/items/42",
              Map.of(
                  "traceparent",
                  "00-" + KONG_TRACE + "-" + KONG_SPAN + "-01",
                  "User-Agent",
                  "kong-test"));
      assertThat(item.statusCode()).as(item.body()).isEqualTo(200);
      assertThat(item.body()).contains("coffee");
      HttpResponse<String> stock =
          app.get(
              "/front/stock/42",
              Map.of("X-B3-TraceId", B3_TRACE, "X-B3-SpanId", B3_SPAN, "X-B3-Sampled", "1"));
      assertThat(stock.statusCode()).isEqualTo(200);
      assertThat(app.get("/front/async", Map.of()).body()).isEqualTo("done later");
      assertThat(app.get("/front/fail", Map.of()).statusCode()).isEqualTo(500);

      SpanTree spans =
          new SpanTree(
              collector.awaitSpansNamed(
                  Duration.ofSeconds(15),
                  "GET /front/items/{id}",
                  "GET /front/stock/{id}",
                  "GET /front/async",
                  "GET /front/fail"));

      // W3C traceparent from the gateway: server -> controller -> RestTemplate -> server ->
      // controller -> JDBC.
      Span front = spans.child(KONG_TRACE, KONG_SPAN, "GET /front/items/{id}");
      assertThat(front.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
      assertThat(attribute(front, "http.route")).isEqualTo("/front/items/{id}");
      assertThat(attribute(front, "http.request.method")).isEqualTo("GET");
      assertThat(attribute(front, "url.path")).isEqualTo("/front/items/42");
      assertThat(attribute(front, "url.scheme")).isEqualTo("http");
      assertThat(attribute(front, "http.response.status_code")).isEqualTo("200");
      assertThat(attribute(front, "client.address")).isEqualTo("127.0.0.1");
      assertThat(attribute(front, "server.address")).isEqualTo("127.0.0.1");
      assertThat(attribute(front, "user_agent.original")).isEqualTo("kong-test");
      Span controller = spans.child(KONG_TRACE, id(front), "FrontController.item");
      Span call = spans.child(KONG_TRACE, id(controller), "GET");
      assertThat(call.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
      assertThat(attribute(call, "url.full")).endsWith("/items/42");
      Span items = spans.child(KONG_TRACE, id(call), "GET /items/{id}");
      Span itemController = spans.child(KONG_TRACE, id(items), "ItemController.item");
      Span query = spans.child(KONG_TRACE, id(itemController), "SELECT items");
      assertThat(attribute(query, "db.system")).isEqualTo("h2");
      assertThat(attribute(query, "db.namespace")).isEqualTo("shop");
      assertThat(attribute(query, "db.query.text"))
          .isEqualTo("SELECT id, name FROM items WHERE id = ?");
      // The span the controller made through the application's own OpenTelemetry API joins too.
      spans.child(KONG_TRACE, id(controller), "app-own-span");
      // One span per query: HikariCP's proxy and H2's statement beneath it do not make two.
      assertThat(spans.ofTrace(KONG_TRACE)).hasSize(7);

      // B3 multi headers (Kong's b3 propagation), RestClient for the hop.
      Span stockFront = spans.child(B3_TRACE, B3_SPAN, "GET /front/stock/{id}");
      Span stockController = spans.child(B3_TRACE, id(stockFront), "FrontController.stock");
      Span stockCall = spans.child(B3_TRACE, id(stockController), "GET");
      Span stockItems = spans.child(B3_TRACE, id(stockCall), "GET /items/{id}");
      spans.child(
          B3_TRACE,
          id(spans.child(B3_TRACE, id(stockItems), "ItemController.item")),
          "SELECT items");

      Span async =
          collector.spans().stream()
              .filter(s -> s.getName().equals("GET /front/async"))
              .findFirst()
              .orElseThrow();
      assertThat(async.getEndTimeUnixNano() - async.getStartTimeUnixNano())
          .as(
              "an async request's span ends when the response is written, not when the request thread returns")
          .isGreaterThanOrEqualTo(Duration.ofMillis(300).toNanos());
      assertThat(attribute(async, "http.response.status_code")).isEqualTo("200");
      // The async dispatch that writes the result runs under the request's span, not in a trace of
      // its own.
      String asyncTrace = SpanTree.hex(async.getTraceId().toByteArray());
      assertThat(collector.spans())
          .filteredOn(s -> s.getName().equals("FrontController.async"))
          .isNotEmpty()
          .allSatisfy(
              s -> assertThat(SpanTree.hex(s.getTraceId().toByteArray())).isEqualTo(asyncTrace));

      Span fail =
          collector.spans().stream()
              .filter(s -> s.getName().equals("GET /front/fail"))
              .findFirst()
              .orElseThrow();
      assertThat(fail.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
      assertThat(attribute(fail, "http.response.status_code")).isEqualTo("500");
      assertThat(fail.getEventsList())
          .anySatisfy(event -> assertThat(event.getName()).isEqualTo("exception"));

      // The agent's own exports go through the JDK HttpClient it instruments, and must not be
      // traced. Requests made now are exported after the exports that delivered the spans above
      // had ended, so a CLIENT span of theirs would arrive with these or before them.
      for (int i = 0; i < 2; i++) {
        int before = collector.spans().size();
        assertThat(app.get("/front/async", Map.of()).statusCode()).isEqualTo(200);
        assertThat(collector.awaitSpans(before + 2, Duration.ofSeconds(15)))
            .hasSizeGreaterThan(before + 1);
      }
      assertThat(collector.spans())
          .extracting(s -> attribute(s, "url.full"))
          .filteredOn(Objects::nonNull)
          .isNotEmpty()
          .noneMatch(url -> url.contains("/v1/traces"));

      assertThat(app.output())
          .contains("Threadline agent started")
          .doesNotContain("failed and is now disabled");
    }
  }
}
