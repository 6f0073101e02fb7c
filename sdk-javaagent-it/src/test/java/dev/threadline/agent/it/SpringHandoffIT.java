package dev.threadline.agent.it;

import static dev.threadline.agent.it.SpanTree.attribute;
import static dev.threadline.agent.it.SpanTree.id;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.threadline.sdk.testing.OtlpCollector;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Spring's hand-offs with the agent attached: {@code @Async}, ThreadPoolTaskExecutor,
 * SimpleAsyncTaskExecutor and ThreadPoolTaskScheduler. Each request's outgoing call (JDBC or HTTP)
 * is made on another thread (the answer names it; it must be the executor's, not the request's) and
 * must be the one such span under the request's controller span, in the gateway's trace.
 */
class SpringHandoffIT {
  private static final String GATEWAY_SPAN = "00f067aa0ba902b7";

  @Test
  void callsMadeOnSpringExecutorsStayInTheRequestsTrace() throws Exception {
    try (OtlpCollector collector = OtlpCollector.start();
        AgentApp app = AgentApp.shop(false, collector.baseUrl())) {
      String[] endpoints = {"async", "pool", "simple", "scheduled"};
      // The thread each executor names its workers with: the call must have been made there.
      String[] workers = {"app-pool-", "app-pool-", "app-simple-", "app-scheduler-"};
      for (int i = 0; i < endpoints.length; i++) {
        HttpResponse<String> response =
            app.get(
                "/fanout/" + endpoints[i],
                Map.of("traceparent", "00-" + trace(i) + "-" + GATEWAY_SPAN + "-01"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("coffee");
        JsonObject body = JsonParser.parseString(response.body()).getAsJsonObject();
        String requestThread = body.get("requestThread").getAsString();
        assertThat(body.get("callThread").getAsString())
            .as(endpoints[i] + ": the call ran on the executor, not on " + requestThread)
            .startsWith(workers[i])
            .isNotEqualTo(requestThread);
        assertThat(requestThread).as(endpoints[i]).startsWith("http-nio-");
      }
      SpanTree spans =
          new SpanTree(
              collector.awaitSpansNamed(
                  Duration.ofSeconds(15),
                  "GET /fanout/async",
                  "GET /fanout/pool",
                  "GET /fanout/simple",
                  "GET /fanout/scheduled"));

      for (int i = 0; i < endpoints.length; i++) {
        String trace = trace(i);
        Span server = spans.child(trace, GATEWAY_SPAN, "GET /fanout/" + endpoints[i]);
        Span controller = spans.child(trace, id(server), "FanoutController." + endpoints[i]);
        if (endpoints[i].equals("simple")) {
          // RestClient on a SimpleAsyncTaskExecutor thread; the called service continues the same
          // trace.
          Span call = spans.child(trace, id(controller), "GET");
          assertThat(call.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
          spans.child(trace, id(call), "GET /items/{id}");
        } else {
          Span query = spans.child(trace, id(controller), "SELECT items");
          assertThat(attribute(query, "db.system")).isEqualTo("h2");
        }
      }
      assertThat(app.output()).doesNotContain("failed and is now disabled");
    }
  }

  private static String trace(int i) {
    return "5bf92f3577b34da6a3ce929d0e0e473" + i;
  }
}
