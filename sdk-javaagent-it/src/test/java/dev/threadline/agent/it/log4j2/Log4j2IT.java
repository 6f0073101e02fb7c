package dev.threadline.agent.it.log4j2;

import static dev.threadline.agent.it.SpanTree.id;
import static org.assertj.core.api.Assertions.assertThat;

import dev.threadline.agent.it.AgentApp;
import dev.threadline.agent.it.LogLines;
import dev.threadline.agent.it.SpanTree;
import dev.threadline.sdk.testing.OtlpCollector;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A Spring Boot application logging with Log4j2 (no Logback): a request's log lines, on its own
 * thread and on a pool thread, carry the request's trace id and the current span's id in Log4j2's
 * context data ({@code %X{trace_id}}); a line logged outside any span carries none.
 */
class Log4j2IT {
  private static final String TRACE = "8bf92f3577b34da6a3ce929d0e0e4736";
  private static final String GATEWAY_SPAN = "00f067aa0ba902b7";
  private static final Duration WAIT = Duration.ofSeconds(15);

  @Test
  void log4j2LinesCarryTheCurrentSpansIds() throws Exception {
    try (OtlpCollector collector = OtlpCollector.start();
        AgentApp app =
            AgentApp.jar(
                System.getProperty("log4j2.app.jar"),
                "/ping",
                collector.baseUrl(),
                // Spring Boot's own layout, with the ids where it puts correlation data.
                "--logging.pattern.correlation=" + LogLines.PATTERN + " user=%X{app.user} ")) {
      HttpResponse<String> response =
          app.get(
              "/log?user=ada", Map.of("traceparent", "00-" + TRACE + "-" + GATEWAY_SPAN + "-01"));
      assertThat(response.statusCode()).as(response.body() + app.output()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("logged ada, thread context trace_id null");

      SpanTree spans = new SpanTree(collector.awaitSpansNamed(WAIT, "GET /log"));
      Span server = spans.child(TRACE, GATEWAY_SPAN, "GET /log");
      Span controller = spans.child(TRACE, id(server), "Log4j2Application.log");

      LogLines.Ids request = LogLines.await(app, "log4j2 request for ada", WAIT);
      assertThat(request).isEqualTo(new LogLines.Ids(TRACE, id(controller), "01"));
      // The application's own thread-context entries stay in the event's copy.
      assertThat(LogLines.awaitLine(app, "log4j2 request for ada", WAIT)).contains(" user=ada ");
      LogLines.Ids pool = LogLines.await(app, "log4j2 pool task for ada", WAIT);
      assertThat(pool).isEqualTo(new LogLines.Ids(TRACE, id(controller), "01"));
      LogLines.Ids started = LogLines.await(app, "Started Log4j2Application", WAIT);
      assertThat(started).isEqualTo(new LogLines.Ids("", "", ""));
      assertThat(app.output()).doesNotContain("failed and is now disabled");
    }
  }
}
