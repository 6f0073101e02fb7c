package dev.threadline.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.threadline.agent.instrumentation.httpurlconnection.HttpUrlConnectionScenario;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The OpenTelemetry Java agent's switches, as a team swapping agents brings them: system properties
 * (through {@code JAVA_TOOL_OPTIONS}, i.e. {@code -D} on the command line) and environment
 * variables, in a JVM of its own.
 */
class OtelSwitchesIT {

  @Test
  void otelJavaagentEnabledFalseLeavesTheApplicationUntracedWithOneLine() throws Exception {
    AgentRun run =
        AgentRun.scenario(
            HttpUrlConnectionScenario.class,
            0,
            Map.of("JAVA_TOOL_OPTIONS", "-Dotel.javaagent.enabled=false"));

    assertThat(run.output())
        .contains(
            "the agent is switched off by otel.javaagent.enabled=false; the application runs"
                + " without tracing")
        .contains("status /ok 200", "scenario done")
        .doesNotContain("Threadline agent started");
    assertThat(run.output().lines().filter(line -> line.contains("[threadline]"))).hasSize(1);
    assertThat(run.traceparentReceived("/ok")).isEqualTo("null");
    assertThat(run.spans()).isEmpty();
  }

  @Test
  void otelInstrumentationSwitchTurnsThatInstrumentationOff() throws Exception {
    AgentRun run =
        AgentRun.scenario(
            HttpUrlConnectionScenario.class,
            0,
            Map.of(
                "JAVA_TOOL_OPTIONS", "-Dotel.instrumentation.http-url-connection.enabled=false"));

    assertThat(run.output())
        .contains("instrumentation 'http-url-connection' is switched off by setting")
        .contains("Threadline agent started");
    assertThat(run.traceparentReceived("/ok")).isEqualTo("null");
    assertThat(run.spans()).isEmpty();
  }

  @Test
  void otelDefaultEnabledFalseKeepsOnlyWhatIsSwitchedOnByEnvironment() throws Exception {
    AgentRun run =
        AgentRun.scenario(
            HttpUrlConnectionScenario.class,
            2,
            Map.of(
                "OTEL_INSTRUMENTATION_COMMON_DEFAULT_ENABLED", "false",
                "OTEL_INSTRUMENTATION_HTTP_URL_CONNECTION_ENABLED", "true"));

    assertThat(run.output())
        .contains("instrumentation 'jdbc' is switched off by setting")
        .contains("instrumentation 'servlet' is switched off by setting")
        .doesNotContain("instrumentation 'http-url-connection' is switched off");
    assertThat(run.spans()).hasSize(2);
    assertThat(run.traceparentReceived("/ok")).startsWith("00-");
  }
}
