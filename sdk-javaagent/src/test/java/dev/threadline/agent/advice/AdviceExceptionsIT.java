package dev.threadline.agent.advice;

import static dev.threadline.agent.AgentRun.attribute;
import static org.assertj.core.api.Assertions.assertThat;

import dev.threadline.agent.AgentRun;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Exceptions around advice: the agent's own are suppressed, logged once and switch their
 * instrumentation off; the application's pass through unchanged.
 */
class AdviceExceptionsIT {

  @Test
  void anAdviceExceptionIsSuppressedLoggedOnceAndItsInstrumentationSwitchedOff() throws Exception {
    AgentRun run = AgentRun.scenario(AdviceFailureScenario.class, 1, Map.of());

    // Suppressed: every call of the application went through.
    assertThat(run.output())
        .contains("refusing 1 status 200", "refusing 2 status 200", "plain status 200")
        .contains("other status 200");
    List<String> warnings =
        run.output().lines().filter(line -> line.contains("[threadline] WARN")).toList();
    assertThat(warnings)
        .as(run.output())
        .singleElement()
        .asString()
        .endsWith(
            "instrumentation 'apache-httpclient-5' failed and is now disabled:"
                + " java.lang.IllegalStateException: application refuses header traceparent");
    // Switched off: no span and no header for the later requests, the plain one included; the
    // other instrumentation still traces (its span is the one awaited, exported after the rest).
    for (String path : List.of("/refusing-1", "/refusing-2", "/plain")) {
      assertThat(run.traceparentReceived(path)).as(path).isEqualTo("null");
    }
    assertThat(run.spans())
        .singleElement()
        .satisfies(span -> assertThat(span.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT));
    assertThat(attribute(run.spans().get(0), "url.full")).endsWith("/other");
    assertThat(run.traceparentReceived("/other")).startsWith("00-");
  }

  @Test
  void applicationExceptionsPassThroughAdviceUnchanged() throws Exception {
    AgentRun alone = AgentRun.withoutAgent(ApplicationExceptionsScenario.class);
    // The request, the JDBC query, the 503 and the two refused connections.
    AgentRun traced = AgentRun.scenario(ApplicationExceptionsScenario.class, 5, Map.of());

    List<String> expected = thrown(alone);
    assertThat(expected)
        .extracting(line -> line.substring(0, line.indexOf(" type=")))
        .containsExactly(
            "threw jdbc",
            "threw http-url-connection-503",
            "threw http-url-connection-refused",
            "threw apache-httpclient-5-refused",
            "threw executor");
    assertThat(thrown(traced)).as(traced.output()).isEqualTo(expected);
    assertThat(traced.output()).contains("executor cause is the thrown instance: true");
    assertThat(traced.output()).doesNotContain("[threadline] WARN");
    // The spans saw the same failures the application did.
    Span query =
        traced.spans().stream()
            .filter(s -> "missing".equalsIgnoreCase(attribute(s, "db.collection.name")))
            .findFirst()
            .orElseThrow(() -> new AssertionError(traced.output()));
    assertThat(attribute(query, "error.type"))
        .isEqualTo(expected.get(0).replaceAll(".* type=(\\S+) .*", "$1"));
  }

  private static List<String> thrown(AgentRun run) {
    return run.output().lines().filter(line -> line.startsWith("threw ")).toList();
  }
}
