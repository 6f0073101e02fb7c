package dev.threadline.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The names the OpenTelemetry Java agent gives the instrumentations Threadline has too, so that
 * {@code otel.instrumentation.<name>.enabled} written for that agent switches Threadline's. A
 * module's own name is always one of them (a module named like OpenTelemetry's needs no entry).
 */
final class OtelInstrumentationNames {
  /** Threadline's name → OpenTelemetry's names for the same library, beside the own name. */
  private static final Map<String, List<String>> ALIASES =
      Map.of(
          "servlet", List.of("servlet-5.0"),
          "tomcat", List.of("tomcat-10.0"),
          "spring-webmvc", List.of("spring-webmvc-6.0"),
          "spring-webflux", List.of("spring-webflux-5.3"),
          "reactor", List.of("reactor-3.1"),
          "apache-httpclient-5", List.of("apache-httpclient", "apache-httpclient-5.0"));

  private OtelInstrumentationNames() {}

  /** The names {@code otel.instrumentation.<name>.enabled} may use for {@code instrumentation}. */
  static List<String> of(String instrumentation) {
    List<String> names = new ArrayList<>();
    names.add(instrumentation);
    names.addAll(ALIASES.getOrDefault(instrumentation, List.of()));
    return names;
  }
}
