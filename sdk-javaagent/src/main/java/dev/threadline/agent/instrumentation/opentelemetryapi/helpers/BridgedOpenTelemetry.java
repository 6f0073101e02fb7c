package dev.threadline.agent.instrumentation.opentelemetryapi.helpers;

import application.io.opentelemetry.api.OpenTelemetry;
import application.io.opentelemetry.api.trace.TracerProvider;
import application.io.opentelemetry.context.propagation.ContextPropagators;

/**
 * What the application's {@code GlobalOpenTelemetry.get()} returns under the agent: the agent's
 * tracers and propagators. Metrics and logs keep the application API's no-op defaults.
 */
final class BridgedOpenTelemetry implements OpenTelemetry {
  private final TracerProvider tracerProvider;
  private final ContextPropagators propagators;

  BridgedOpenTelemetry(io.opentelemetry.api.OpenTelemetry agent) {
    this.tracerProvider = new BridgedTracerProvider(agent.getTracerProvider());
    this.propagators =
        new BridgedPropagators(
            new BridgedTextMapPropagator(agent.getPropagators().getTextMapPropagator()));
  }

  @Override
  public TracerProvider getTracerProvider() {
    return tracerProvider;
  }

  @Override
  public ContextPropagators getPropagators() {
    return propagators;
  }
}
