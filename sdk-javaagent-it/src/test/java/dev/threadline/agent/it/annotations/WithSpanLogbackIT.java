package dev.threadline.agent.it.annotations;

import static dev.threadline.agent.it.SpanTree.attribute;
import static dev.threadline.agent.it.SpanTree.id;
import static org.assertj.core.api.Assertions.assertThat;

import dev.threadline.agent.it.AgentApp;
import dev.threadline.agent.it.LogLines;
import dev.threadline.agent.it.SpanTree;
import dev.threadline.sdk.testing.OtlpCollector;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A controller calls {@code @WithSpan} methods of a bean ({@code Greeter}) and logs through Logback
 * on the request thread, in a filter and on a pool thread. The spans exported over OTLP are
 * children in the request's trace with their {@code @SpanAttribute} attributes; each log line names
 * the trace and the span current where it was logged; a line logged outside any span names none.
 */
class WithSpanLogbackIT {
  private static final String TRACE = "7af92f3577b34da6a3ce929d0e0e4736";
  private static final String GATEWAY_SPAN = "00f067aa0ba902b7";
  private static final Duration WAIT = Duration.ofSeconds(15);

  @Test
  void withSpanMethodsMakeChildSpansAndLogLinesCarryTheirIds() throws Exception {
    try (OtlpCollector collector = OtlpCollector.start();
        AgentApp app =
            AgentApp.shop(
                false,
                collector.baseUrl(),
                "--logging.pattern.console=%d [%t] "
                    + LogLines.PATTERN
                    + " user=%X{app.user} %logger{0}: %m%n")) {
      HttpResponse<String> response =
          app.get(
              "/greet?user=ada", Map.of("traceparent", "00-" + TRACE + "-" + GATEWAY_SPAN + "-01"));
      assertThat(response.statusCode()).as(response.body() + app.output()).isEqualTo(200);
      assertThat(response.body())
          .contains("hello ada hello ada")
          .contains("no greeting for ada")
          .contains("done")
          .contains("\"mdcTraceId\":\"null\"");

      SpanTree spans =
          new SpanTree(
              collector.awaitSpansNamed(
                  WAIT, "GET /greet", "greet", "Greeter.failing", "Greeter.later"));
      Span server = spans.child(TRACE, GATEWAY_SPAN, "GET /greet");
      Span controller = spans.child(TRACE, id(server), "GreetingController.greet");
      Span greet = spans.child(TRACE, id(controller), "greet");
      assertThat(greet.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_INTERNAL);
      assertThat(attribute(greet, "app.user")).isEqualTo("ada");
      // Named after the parameter (the application is compiled with -parameters).
      assertThat(attribute(greet, "times")).isEqualTo("2");
      Span failing = spans.child(TRACE, id(controller), "Greeter.failing");
      assertThat(failing.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
      assertThat(failing.getEventsList())
          .anySatisfy(event -> assertThat(event.getName()).isEqualTo("exception"));
      assertThat(attribute(failing, "app.user")).isEqualTo("ada");
      Span later = spans.child(TRACE, id(controller), "Greeter.later");
      // later() returned before greet() was called; its span ended when its future completed.
      assertThat(later.getEndTimeUnixNano())
          .as("Greeter.later ends after greet")
          .isGreaterThanOrEqualTo(greet.getEndTimeUnixNano());
      assertThat(later.getStartTimeUnixNano()).isLessThanOrEqualTo(greet.getStartTimeUnixNano());

      LogLines.Ids filter = LogLines.await(app, "filter saw /greet", WAIT);
      assertThat(filter).isEqualTo(new LogLines.Ids(TRACE, id(server), "01"));
      LogLines.Ids request = LogLines.await(app, "greet request for ada", WAIT);
      assertThat(request).isEqualTo(new LogLines.Ids(TRACE, id(controller), "01"));
      // The application's own MDC entries stay in the event's copy.
      assertThat(LogLines.awaitLine(app, "greet request for ada", WAIT)).contains(" user=ada ");
      LogLines.Ids inGreet = LogLines.await(app, "greeting ada in greet", WAIT);
      assertThat(inGreet).isEqualTo(new LogLines.Ids(TRACE, id(greet), "01"));
      LogLines.Ids pool = LogLines.await(app, "greet pool task for ada", WAIT);
      assertThat(pool).isEqualTo(new LogLines.Ids(TRACE, id(controller), "01"));
      // Logged at start-up, in no span.
      LogLines.Ids started = LogLines.await(app, "Started ShopApplication", WAIT);
      assertThat(started).isEqualTo(new LogLines.Ids("", "", ""));
      assertThat(app.output()).doesNotContain("failed and is now disabled");
    }
  }
}
