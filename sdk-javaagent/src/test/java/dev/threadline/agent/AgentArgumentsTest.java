package dev.threadline.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Threadline's switches and OpenTelemetry's, from agent arguments, system properties and env. */
class AgentArgumentsTest {

  private static AgentArguments settings(
      String arguments, Map<String, String> properties, Map<String, String> env) {
    Properties system = new Properties();
    system.putAll(properties);
    return AgentArguments.parse(arguments, system, env);
  }

  private static AgentArguments properties(String... keyValues) {
    Properties system = new Properties();
    for (int i = 0; i < keyValues.length; i += 2) {
      system.setProperty(keyValues[i], keyValues[i + 1]);
    }
    return AgentArguments.parse(null, system, Map.of());
  }

  @Test
  void instrumentationsRunByTheirDefaultWhenNothingIsSet() {
    AgentArguments none = properties();
    assertThat(none.enabled("servlet", true)).isTrue();
    assertThat(none.enabled("thread-start", false)).isFalse();
    assertThat(none.agentSwitchedOffBy()).isNull();
  }

  @Test
  void threadlinesOwnSwitch() {
    assertThat(properties("threadline.instrumentation.jdbc.enabled", "false").enabled("jdbc"))
        .isFalse();
    assertThat(
            properties("threadline.instrumentation.thread-start.enabled", "true")
                .enabled("thread-start", false))
        .isTrue();
  }

  @Test
  void openTelemetrysSwitchUnderThreadlinesName() {
    assertThat(properties("otel.instrumentation.jdbc.enabled", "false").enabled("jdbc")).isFalse();
    assertThat(properties("otel.instrumentation.jdbc.enabled", "FALSE ").enabled("jdbc")).isFalse();
    assertThat(properties("otel.instrumentation.jdbc.enabled", "true").enabled("jdbc")).isTrue();
    // Other modules are not affected.
    assertThat(properties("otel.instrumentation.jdbc.enabled", "false").enabled("servlet"))
        .isTrue();
  }

  @Test
  void openTelemetrysNamesAreAliases() {
    assertThat(properties("otel.instrumentation.servlet-5.0.enabled", "false").enabled("servlet"))
        .isFalse();
    assertThat(properties("otel.instrumentation.tomcat-10.0.enabled", "false").enabled("tomcat"))
        .isFalse();
    assertThat(
            properties("otel.instrumentation.spring-webmvc-6.0.enabled", "false")
                .enabled("spring-webmvc"))
        .isFalse();
    assertThat(
            properties("otel.instrumentation.apache-httpclient.enabled", "false")
                .enabled("apache-httpclient-5"))
        .isFalse();
    assertThat(
            properties("otel.instrumentation.apache-httpclient-5.0.enabled", "false")
                .enabled("apache-httpclient-5"))
        .isFalse();
    for (String name :
        new String[] {"jdbc", "executors", "http-url-connection", "java-http-client"}) {
      assertThat(properties("otel.instrumentation." + name + ".enabled", "false").enabled(name))
          .as(name)
          .isFalse();
    }
  }

  @Test
  void anyOpenTelemetryNameSwitchedOffWinsForAModuleOnByDefault() {
    AgentArguments mixed =
        properties(
            "otel.instrumentation.servlet.enabled", "true",
            "otel.instrumentation.servlet-5.0.enabled", "false");
    assertThat(mixed.enabled("servlet")).isFalse();
  }

  @Test
  void commonDefaultEnabledFalseSwitchesOffAllButTheExplicitlyEnabled() {
    AgentArguments settings =
        properties(
            "otel.instrumentation.common.default-enabled", "false",
            "otel.instrumentation.servlet-5.0.enabled", "true",
            "threadline.instrumentation.jdbc.enabled", "true");
    assertThat(settings.enabled("servlet")).isTrue();
    assertThat(settings.enabled("jdbc")).isTrue();
    assertThat(settings.enabled("executors")).isFalse();
    assertThat(settings.enabled("thread-start", false)).isFalse();
    // true leaves every module at its own default.
    AgentArguments on = properties("otel.instrumentation.common.default-enabled", "true");
    assertThat(on.enabled("executors")).isTrue();
    assertThat(on.enabled("thread-start", false)).isFalse();
  }

  @Test
  void threadlinesSettingWinsOverOpenTelemetrys() {
    AgentArguments both =
        properties(
            "threadline.instrumentation.jdbc.enabled", "true",
            "otel.instrumentation.jdbc.enabled", "false",
            "threadline.instrumentation.servlet.enabled", "false",
            "otel.instrumentation.servlet.enabled", "true",
            "threadline.agent.enabled", "true",
            "otel.javaagent.enabled", "false");
    assertThat(both.enabled("jdbc")).isTrue();
    assertThat(both.enabled("servlet")).isFalse();
    assertThat(both.agentSwitchedOffBy()).isNull();
  }

  @Test
  void valuesThatAreNotBooleansAreIgnored() {
    assertThat(properties("otel.instrumentation.jdbc.enabled", "no").enabled("jdbc")).isTrue();
    assertThat(properties("otel.javaagent.enabled", "off").agentSwitchedOffBy()).isNull();
  }

  @Test
  void theWholeAgentSwitchedOff() {
    assertThat(properties("otel.javaagent.enabled", "false").agentSwitchedOffBy())
        .isEqualTo("otel.javaagent.enabled");
    assertThat(properties("threadline.agent.enabled", "false").agentSwitchedOffBy())
        .isEqualTo("threadline.agent.enabled");
    assertThat(properties("otel.javaagent.enabled", "true").agentSwitchedOffBy()).isNull();
  }

  @Test
  void environmentVariablesAndAgentArguments() {
    AgentArguments env =
        settings(
            null,
            Map.of(),
            Map.of(
                "OTEL_JAVAAGENT_ENABLED", "false",
                "OTEL_INSTRUMENTATION_SPRING_WEBMVC_6_0_ENABLED", "false",
                "OTEL_INSTRUMENTATION_COMMON_DEFAULT_ENABLED", "false",
                "OTEL_INSTRUMENTATION_JDBC_ENABLED", "true"));
    assertThat(env.agentSwitchedOffBy()).isEqualTo("otel.javaagent.enabled");
    assertThat(env.enabled("spring-webmvc")).isFalse();
    assertThat(env.enabled("jdbc")).isTrue();
    assertThat(env.enabled("servlet")).isFalse();

    // Agent arguments come before system properties, which come before the environment.
    AgentArguments layered =
        settings(
            "otel.instrumentation.jdbc.enabled=true",
            Map.of("otel.instrumentation.jdbc.enabled", "false"),
            Map.of("OTEL_INSTRUMENTATION_JDBC_ENABLED", "false"));
    assertThat(layered.enabled("jdbc")).isTrue();
    assertThat(
            settings(
                    null,
                    Map.of("otel.instrumentation.jdbc.enabled", "true"),
                    Map.of("OTEL_INSTRUMENTATION_JDBC_ENABLED", "false"))
                .enabled("jdbc"))
        .isTrue();
  }
}
