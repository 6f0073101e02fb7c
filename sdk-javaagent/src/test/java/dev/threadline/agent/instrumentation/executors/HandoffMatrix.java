package dev.threadline.agent.instrumentation.executors;

import static dev.threadline.agent.AgentRun.attribute;
import static dev.threadline.agent.AgentRun.hex;
import static org.assertj.core.api.Assertions.assertThat;

import dev.threadline.agent.AgentRun;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.List;

/**
 * Reads the matrix's spans: the SERVER span of each pattern's request, and the one call made from
 * the other thread (the scenario prints both threads, which must differ).
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
          "nested-executors",
          "thread-start",
          "timer-schedule",
          "timer-schedule-date");

  /** Repeating tasks: their call must start a trace of its own (in every run). */
  static final List<String> NOT_PROPAGATED = List.of("stpe-fixed-rate", "timer-fixed-rate");

  /** Requests in a run on JDK 17: the patterns, the repeating rows, and the completing request. */
  static final int JDK17_SERVER_SPANS = PROPAGATED.size() + NOT_PROPAGATED.size() + 1;

  private final AgentRun run;

  HandoffMatrix(AgentRun run) {
    this.run = run;
  }

  Span server(String pattern) {
    List<Span> servers =
        run.spans().stream()
            .filter(s -> s.getKind() == Span.SpanKind.SPAN_KIND_SERVER)
            .filter(s -> ("/matrix/" + pattern).equals(attribute(s, "url.path")))
            .toList();
    assertThat(servers).as(pattern + ": SERVER spans\n" + run.output()).hasSize(1);
    return servers.get(0);
  }

  /**
   * The HTTP call ({@code ?p=<pattern>}) or the JDBC query (table {@code t_<pattern>}) the pattern
   * made: exactly one CLIENT span (a duplicate, or a second span from a nested client, fails).
   */
  Span call(String pattern) {
    String table = "t_" + pattern.replace('-', '_');
    List<Span> calls =
        run.spans().stream()
            .filter(s -> s.getKind() == Span.SpanKind.SPAN_KIND_CLIENT)
            .filter(
                s ->
                    String.valueOf(attribute(s, "url.full")).endsWith("p=" + pattern)
                        || table.equalsIgnoreCase(attribute(s, "db.collection.name")))
            .toList();
    assertThat(calls).as(pattern + ": CLIENT spans of the call\n" + run.output()).hasSize(1);
    return calls.get(0);
  }

  /** The one thread ({@code <id>/<name>}) the scenario printed for {@code <what> <pattern>}. */
  private String thread(String what, String pattern) {
    String prefix = what + " " + pattern + " thread=";
    List<String> threads =
        run.output()
            .lines()
            .filter(line -> line.startsWith(prefix))
            .map(line -> line.substring(prefix.length()))
            .toList();
    assertThat(threads).as(pattern + ": threads of the " + what + "\n" + run.output()).hasSize(1);
    return threads.get(0);
  }

  /** The pattern's call ran on another thread than its request (else it proves no hand-off). */
  void assertHandedOff(String pattern) {
    String request = thread("request", pattern);
    assertThat(thread("call", pattern))
        .as(pattern + ": the call's thread, against the request's " + request)
        .doesNotStartWith(request.substring(0, request.indexOf('/') + 1));
  }

  void assertPropagated(String pattern) {
    assertHandedOff(pattern);
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
    assertHandedOff(pattern);
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
