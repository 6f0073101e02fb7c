package dev.threadline.agent;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.BiConsumer;

/**
 * Settings given after the agent jar ({@code
 * -javaagent:threadline-agent.jar=otel.service.name=shop;...}), falling back to system properties
 * and environment variables for the agent's own switches.
 *
 * <p>The switches are Threadline's ({@code threadline.agent.enabled}, {@code
 * threadline.instrumentation.<name>.enabled}) and, so that settings written for the OpenTelemetry
 * Java agent keep working, OpenTelemetry's ({@code otel.javaagent.enabled}, {@code
 * otel.instrumentation.<name>.enabled} under OpenTelemetry's names too, {@code
 * otel.instrumentation.common.default-enabled}). Threadline's own setting wins when both are given.
 */
final class AgentArguments {
  static final String AGENT_ENABLED = "threadline.agent.enabled";
  static final String OTEL_AGENT_ENABLED = "otel.javaagent.enabled";
  static final String OTEL_DEFAULT_ENABLED = "otel.instrumentation.common.default-enabled";

  private final Map<String, String> values;
  private final Properties system;
  private final Map<String, String> environment;

  private AgentArguments(
      Map<String, String> values, Properties system, Map<String, String> environment) {
    this.values = values;
    this.system = system;
    this.environment = environment;
  }

  static AgentArguments parse(String arguments) {
    return parse(arguments, System.getProperties(), System.getenv());
  }

  /** As {@link #parse(String)}, with the given system properties and environment. */
  static AgentArguments parse(
      String arguments, Properties system, Map<String, String> environment) {
    Map<String, String> values = new LinkedHashMap<>();
    if (arguments != null) {
      for (String pair : arguments.split("[;,]")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          values.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
      }
    }
    return new AgentArguments(values, system, environment);
  }

  /**
   * An agent argument, else the system property, else the environment variable of the same setting
   * (upper case, dots and dashes as underscores).
   */
  String get(String key) {
    String value = values.get(key);
    if (value == null) {
      value = system.getProperty(key);
    }
    if (value == null) {
      value = environment.get(key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
    }
    return value;
  }

  /**
   * The setting that switches the whole agent off ({@code threadline.agent.enabled=false}, else
   * {@code otel.javaagent.enabled=false}), or {@code null} when the agent is to run.
   */
  String agentSwitchedOffBy() {
    Boolean own = bool(get(AGENT_ENABLED));
    if (own != null) {
      return own ? null : AGENT_ENABLED;
    }
    return Boolean.FALSE.equals(bool(get(OTEL_AGENT_ENABLED))) ? OTEL_AGENT_ENABLED : null;
  }

  /** {@code threadline.instrumentation.<name>.enabled}; on unless set to false. */
  boolean enabled(String instrumentation) {
    return enabled(instrumentation, true);
  }

  /**
   * Whether the instrumentation {@code instrumentation} runs: {@code
   * threadline.instrumentation.<name>.enabled} when set; else OpenTelemetry's {@code
   * otel.instrumentation.<name>.enabled} under any of its names (as OpenTelemetry's agent decides:
   * a module on by default is off if any of its names is switched off, one off by default is on if
   * any is switched on); else {@code byDefault}, and off when {@code
   * otel.instrumentation.common.default-enabled=false}.
   */
  boolean enabled(String instrumentation, boolean byDefault) {
    String value = get("threadline.instrumentation." + instrumentation + ".enabled");
    if (value != null && !value.isBlank()) {
      return byDefault
          ? !"false".equalsIgnoreCase(value.trim())
          : "true".equalsIgnoreCase(value.trim());
    }
    boolean fallback = byDefault && !Boolean.FALSE.equals(bool(get(OTEL_DEFAULT_ENABLED)));
    boolean enabled = fallback;
    for (String name : OtelInstrumentationNames.of(instrumentation)) {
      Boolean otel = bool(get("otel.instrumentation." + name + ".enabled"));
      if (otel != null) {
        enabled = fallback ? enabled && otel : enabled || otel;
      }
    }
    return enabled;
  }

  /** {@code true} or {@code false} (any case, trimmed); {@code null} when unset or neither. */
  private static Boolean bool(String value) {
    if (value == null) {
      return null;
    }
    String trimmed = value.trim();
    if ("true".equalsIgnoreCase(trimmed)) {
      return Boolean.TRUE;
    }
    return "false".equalsIgnoreCase(trimmed) ? Boolean.FALSE : null;
  }

  /** The agent arguments only; system properties and environment reach the SDK on their own. */
  void forEach(BiConsumer<String, String> consumer) {
    values.forEach(consumer);
  }
}
