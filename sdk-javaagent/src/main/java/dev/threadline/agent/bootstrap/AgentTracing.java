package dev.threadline.agent.bootstrap;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.propagation.TextMapPropagator;

/**
 * The agent's OpenTelemetry instance as seen from advice code. Lives on the bootstrap class path
 * (with the relocated OpenTelemetry API) so that advice inlined into any class can reach it.
 */
public final class AgentTracing {
  private static final String SCOPE_PREFIX = "dev.threadline.";
  private static volatile OpenTelemetry openTelemetry = OpenTelemetry.noop();

  private AgentTracing() {}

  /** Set once by the installer, after the SDK is built. */
  public static void set(OpenTelemetry instance) {
    openTelemetry = instance;
  }

  /** The agent's OpenTelemetry (its SDK once the installer ran), for the application API bridge. */
  public static OpenTelemetry openTelemetry() {
    return openTelemetry;
  }

  public static Tracer tracer(String instrumentation) {
    return openTelemetry.getTracer(SCOPE_PREFIX + instrumentation);
  }

  public static TextMapPropagator propagator() {
    return openTelemetry.getPropagators().getTextMapPropagator();
  }
}
