package dev.threadline.agent.instrumentation.executors;

import static dev.threadline.agent.AgentRun.attribute;
import static dev.threadline.agent.AgentRun.hex;
import static org.assertj.core.api.Assertions.assertThat;

import dev.threadline.agent.AgentRun;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.List;
import java.util.Optional;

/**
 * Reads the matrix's spans: the SERVER span of each pattern's request, and the call made from the
 * other thread.
 */
final class HandoffMatrix {
  /** Patterns whose call must be a child of the request (in every run). */
  static final List<String> PROPAGATED =
      List.of(
          "tpe-execute",
          "tpe-submit-callable",
          "tpe-invoke-all",
          "tpe-subclass-hooks",
          "jdk-delegating-executor",
          "stpe-schedule",
          "fjp-execute",
          "fjp-fork",
          "cf-supply-async",
          "cf-then-apply-sync",
          "cf-then-accept-async",
          "parallel-stream",
          "custom-executor",
          "nested-executors");

  /**
   * Requests in a run on JDK 17: the patterns, the fixed-rate and thread-start rows, and the
   * completing request.
   */
  static final int JDK17_SERVER_SPANS = PROPAGATED.size() + 3;

  private final AgentRun run;

  HandoffMatrix(AgentRun run) {
    this.run = run;
  }

  Span server(String pattern) {
    return run.spans().stream()
        .filter(s -> s.getKind() == Span.SpanKind.SPAN_KIND_SERVER)
        .filter(s -> ("/matrix/" + pattern).equals(attribute(s, "url.path")))
        .findFirst()
        .orElseThrow(
            () -> new AssertionError("no SERVER span for " + pattern + "\n" + run.output()));
  }

  /**
   * The HTTP call ({@code ?p=<pattern>}) or the JDBC query (table {@code t_<pattern>}) the pattern
   * made.
   */
  Span call(String pattern) {
    String table = "t_" + pattern.replace('-', '_');
    Optional<Span> call =
        run.spans().stream()
            .filter(s -> s.getKind() == Span.SpanKind.SPAN_KIND_CLIENT)
            .filter(
                s ->
                    String.valueOf(attribute(s, "url.full")).endsWith("p=" + pattern)
                        || table.equalsIgnoreCase(attribute(s, "db.collection.name")))
            .findFirst();
    return call.orElseThrow(
        () -> new AssertionError("no CLIENT span for " + pattern + "\n" + run.output()));
  }

  void assertPropagated(String pattern) {
    Span server = server(pattern);
    Span call = call(pattern);
    assertThat(hex(call.getTraceId()))
        .as(pattern + ": trace of the call")
        .isEqualTo(hex(server.getTraceId()));
    assertThat(hex(call.getParentSpanId()))
        .as(pattern + ": parent of the call")
        .isEqualTo(hex(server.getSpanId()));
  }

  void assertNotPropagated(String pattern) {
    Span server = server(pattern);
    Span call = call(pattern);
    assertThat(hex(call.getTraceId()))
        .as(pattern + ": the call starts its own trace")
        .isNotEqualTo(hex(server.getTraceId()));
    assertThat(call.getParentSpanId().isEmpty()).as(pattern + ": the call has no parent").isTrue();
  }

  /** Checks made inside the scenario JVM, printed there. */
  void assertScenarioChecks() {
    assertThat(run.output())
        .contains("hooks saw own runnable: true")
        .contains("parallel stream reached a worker: true")
        .contains("nested executors wrapped 1 time(s)");
  }
}
