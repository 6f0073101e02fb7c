package dev.threadline.agent;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Settings given after the agent jar ({@code
 * -javaagent:threadline-agent.jar=otel.service.name=shop;...}), falling back to system properties
 * and environment variables for the agent's own switches.
 */
final class AgentArguments {
  private final Map<String, String> values;

  private AgentArguments(Map<String, String> values) {
    this.values = values;
  }

  static AgentArguments parse(String arguments) {
    Map<String, String> values = new LinkedHashMap<>();
    if (arguments != null) {
      for (String pair : arguments.split("[;,]")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          values.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
      }
    }
    return new AgentArguments(values);
  }

  /**
   * An agent argument, else the system property, else the environment variable of the same setting.
   */
  String get(String key) {
    String value = values.get(key);
    if (value == null) {
      value = System.getProperty(key);
    }
    if (value == null) {
      value = System.getenv(key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
    }
    return value;
  }

  /** {@code threadline.instrumentation.<name>.enabled}; on unless set to false. */
  boolean enabled(String instrumentation) {
    return enabled(instrumentation, true);
  }

  /** {@code threadline.instrumentation.<name>.enabled}, {@code byDefault} when not set. */
  boolean enabled(String instrumentation, boolean byDefault) {
    String value = get("threadline.instrumentation." + instrumentation + ".enabled");
    if (value == null || value.isBlank()) {
      return byDefault;
    }
    return byDefault
        ? !"false".equalsIgnoreCase(value.trim())
        : "true".equalsIgnoreCase(value.trim());
  }

  /** The agent arguments only; system properties and environment reach the SDK on their own. */
  void forEach(BiConsumer<String, String> consumer) {
    values.forEach(consumer);
  }
}
