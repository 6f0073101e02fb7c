package dev.threadline.agent.bootstrap;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent's OpenTelemetry instance as seen from advice code. Lives on the bootstrap class path
 * (with the relocated OpenTelemetry API) so that advice inlined into any class can reach it.
 */
public final class AgentTracing {
  private static final String SCOPE_PREFIX = "dev.threadline.";
  private static volatile Tracers tracers = new Tracers(OpenTelemetry.noop());

  private AgentTracing() {}

  /** Set once by the installer, after the SDK is built. */
  public static void set(OpenTelemetry instance) {
    tracers = new Tracers(instance);
  }

  /** The agent's OpenTelemetry (its SDK once the installer ran), for the application API bridge. */
  public static OpenTelemetry openTelemetry() {
    return tracers.openTelemetry;
  }

  /** The instrumentation scope name of {@code instrumentation}'s spans (a module's name). */
  public static String scopeName(String instrumentation) {
    return SCOPE_PREFIX + instrumentation;
  }

  /** The tracer of {@code instrumentation} (a module's name), looked up once per instance. */
  public static Tracer tracer(String instrumentation) {
    return tracers.get(instrumentation);
  }

  public static TextMapPropagator propagator() {
    return tracers.openTelemetry.getPropagators().getTextMapPropagator();
  }

  /**
   * One OpenTelemetry instance and its tracers by instrumentation: the SDK's own lookup builds a
   * tracer key and searches its registry on every call, which every span start would pay.
   */
  private static final class Tracers {
    final OpenTelemetry openTelemetry;
    private final ConcurrentHashMap<String, Tracer> byInstrumentation = new ConcurrentHashMap<>();

    Tracers(OpenTelemetry openTelemetry) {
      this.openTelemetry = openTelemetry;
    }

    Tracer get(String instrumentation) {
      Tracer tracer = byInstrumentation.get(instrumentation);
      if (tracer == null) {
        tracer = openTelemetry.getTracer(scopeName(instrumentation));
        Tracer raced = byInstrumentation.putIfAbsent(instrumentation, tracer);
        if (raced != null) {
          tracer = raced;
        }
      }
      return tracer;
    }
  }
}
