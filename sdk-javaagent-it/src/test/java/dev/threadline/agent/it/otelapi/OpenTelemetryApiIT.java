package dev.threadline.agent.it.otelapi;

import static dev.threadline.agent.it.SpanTree.attribute;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A Spring Boot application using its own {@code io.opentelemetry:opentelemetry-api} (the version
 * Boot manages, older than the agent's) beside the agent: its manual spans, baggage and context
 * join the agent's, both ways.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenTelemetryApiIT {
  private static final String GATEWAY_TRACE = "0af7651916cd43dd8448eb211c80319c";
  private static final String GATEWAY_SPAN = "b7ad6b7169203331";
  private static final String REMOTE_TRACE = "5a1c0c9f1d2e3f405a1c0c9f1d2e3f40";
  private static final String REMOTE_SPAN = "1122334455667788";

  private OtlpCollector collector;
  private AgentApp app;

  @BeforeAll
  void start() throws Exception {
    collector = OtlpCollector.start();
    app = AgentApp.shop(false, collector.baseUrl());
  }

  @AfterAll
  void stop() throws Exception {
    if (app != null) {
      app.close();
    }
    collector.close();
  }

  @Test
  void manualSpansBaggageAndContextJoinTheAgentsTrace() throws Exception {
    HttpResponse<String> response =
        app.get(
            "/manual/span?remoteParent=00-" + REMOTE_TRACE + "-" + REMOTE_SPAN + "-01",
            Map.of(
                "traceparent",
                "00-" + GATEWAY_TRACE + "-" + GATEWAY_SPAN + "-01",
                "baggage",
                "caller.key=from-caller"));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonObject seen = JsonParser.parseString(response.body()).getAsJsonObject();
    SpanTree spans =
        new SpanTree(
            collector.awaitSpansNamed(
                Duration.ofSeconds(15),
                "GET /manual/span",
                "manual-work",
                "GET /manual/echo",
                "ManualSpanController.echo",
                "SELECT items",
                "manual-remote-child"));

    // The agent's spans as the application sees them: Span.current() is the controller span.
    Span server = spans.child(GATEWAY_TRACE, GATEWAY_SPAN, "GET /manual/span");
    Span controller = spans.child(GATEWAY_TRACE, id(server), "ManualSpanController.span");
    assertIds(seen.getAsJsonObject("current"), GATEWAY_TRACE, id(controller));

    // The manual span is the agent span's child; what the agent makes inside its scope is its.
    Span manual = spans.child(GATEWAY_TRACE, id(controller), "manual-work");
    assertThat(manual.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_INTERNAL);
    assertThat(attribute(manual, "shop.step")).isEqualTo("checkout");
    assertIds(seen.getAsJsonObject("manual"), GATEWAY_TRACE, id(manual));
    assertIds(seen.getAsJsonObject("currentInScope"), GATEWAY_TRACE, id(manual));
    Span call = spans.child(GATEWAY_TRACE, id(manual), "GET");
    assertThat(call.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
    Span echo = spans.child(GATEWAY_TRACE, id(call), "GET /manual/echo");
    Span echoController = spans.child(GATEWAY_TRACE, id(echo), "ManualSpanController.echo");
    Span query = spans.child(GATEWAY_TRACE, id(manual), "SELECT items");
    assertThat(attribute(query, "db.system")).isEqualTo("h2");
    assertThat(seen.get("item").getAsString()).isEqualTo("coffee");
    JsonObject echoed = seen.getAsJsonObject("echo");
    assertIds(echoed.getAsJsonObject("current"), GATEWAY_TRACE, id(echoController));
    assertThat(spans.ofTrace(GATEWAY_TRACE))
        .as(SpanTree.describe(spans.ofTrace(GATEWAY_TRACE)))
        .hasSize(7);

    // Baggage: the caller's, extracted by the agent, is the application's; the application's goes
    // out on the agent's call and is the callee's.
    assertThat(seen.get("callerBaggage").getAsString()).isEqualTo("from-caller");
    assertThat(echoed.get("baggageHeader").getAsString())
        .contains("app.key=from-app")
        .contains("caller.key=from-caller");
    assertThat(echoed.get("appBaggage").getAsString()).isEqualTo("from-app");

    // The agent's hand-off to a pool carries the application's span, baggage and own key.
    JsonObject pooled = seen.getAsJsonObject("pooled");
    assertIds(pooled.getAsJsonObject("span"), GATEWAY_TRACE, id(manual));
    assertThat(pooled.get("key").getAsString()).isEqualTo("shop-value");
    assertThat(pooled.get("baggage").getAsString()).contains("app.key").contains("caller.key");

    // GlobalOpenTelemetry's propagators work on the bridged context, both ways.
    JsonObject injected = seen.getAsJsonObject("injected");
    assertThat(injected.get("traceparent").getAsString())
        .isEqualTo("00-" + GATEWAY_TRACE + "-" + id(manual) + "-01");
    assertThat(injected.get("baggage").getAsString()).contains("app.key=from-app");
    assertIds(seen.getAsJsonObject("extracted"), REMOTE_TRACE, REMOTE_SPAN);
    assertThat(seen.get("extractedIsRemote").getAsBoolean()).isTrue();
    Span remoteChild = spans.child(REMOTE_TRACE, REMOTE_SPAN, "manual-remote-child");
    assertIds(seen.getAsJsonObject("remoteChild"), REMOTE_TRACE, id(remoteChild));

    // Scopes closed: the agent's span is current again.
    assertIds(seen.getAsJsonObject("currentAfter"), GATEWAY_TRACE, id(controller));
    assertThat(app.output())
        .contains("Threadline agent started")
        .doesNotContain("failed and is now disabled");
  }

  @Test
  void whatTheApplicationLeftCurrentDoesNotReachTheNextRequest() throws Exception {
    HttpResponse<String> leakResponse = app.get("/manual/leak", Map.of());
    assertThat(leakResponse.statusCode()).as(leakResponse.body()).isEqualTo(200);
    JsonObject leak = JsonParser.parseString(leakResponse.body()).getAsJsonObject();
    String leakThread = leak.get("thread").getAsString();
    String leakedTrace = leak.getAsJsonObject("leaked").get("traceId").getAsString();

    boolean sameThread = false;
    for (int attempt = 0; attempt < 100 && !sameThread; attempt++) {
      HttpResponse<String> response = app.get("/manual/current", Map.of());
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      JsonObject seen = JsonParser.parseString(response.body()).getAsJsonObject();
      assertThat(seen.getAsJsonObject("span").get("traceId").getAsString())
          .isNotEqualTo(leakedTrace);
      assertThat(seen.get("key").getAsString()).isEqualTo("null");
      assertThat(seen.get("baggage").getAsString()).isEqualTo("[]");
      // The pool thread runs the task in the request's context, and in nothing left behind there.
      JsonObject pooled = seen.getAsJsonObject("pooled");
      assertThat(pooled.getAsJsonObject("span")).isEqualTo(seen.getAsJsonObject("span"));
      assertThat(pooled.get("key").getAsString()).isEqualTo("null");
      assertThat(pooled.get("baggage").getAsString()).isEqualTo("[]");
      sameThread = seen.get("thread").getAsString().equals(leakThread);
    }
    assertThat(sameThread).as("a later request ran on the thread that leaked").isTrue();

    // Every later request's trace starts at its own SERVER span.
    assertThat(
            collector
                .awaitSpansNamed(Duration.ofSeconds(15), "GET /manual/current", "manual-leaked")
                .stream()
                .filter(span -> span.getName().equals("GET /manual/current")))
        .isNotEmpty()
        .allSatisfy(span -> assertThat(span.getParentSpanId().isEmpty()).isTrue());
  }

  private static void assertIds(JsonObject ids, String traceId, String spanId) {
    assertThat(ids.get("traceId").getAsString()).as("trace id of %s", ids).isEqualTo(traceId);
    assertThat(ids.get("spanId").getAsString()).as("span id of %s", ids).isEqualTo(spanId);
  }
}
