package dev.threadline.agent.instrumentation.opentelemetryapi.helpers;

import application.io.opentelemetry.api.trace.Tracer;
import application.io.opentelemetry.api.trace.TracerBuilder;
import application.io.opentelemetry.api.trace.TracerProvider;

/** The application's tracer provider over the agent's. */
final class BridgedTracerProvider implements TracerProvider {
  private final io.opentelemetry.api.trace.TracerProvider agent;

  BridgedTracerProvider(io.opentelemetry.api.trace.TracerProvider agent) {
    this.agent = agent;
  }

  @Override
  public Tracer get(String instrumentationScopeName) {
    return new BridgedTracer(agent.get(instrumentationScopeName));
  }

  @Override
  public Tracer get(String instrumentationScopeName, String instrumentationScopeVersion) {
    return new BridgedTracer(agent.get(instrumentationScopeName, instrumentationScopeVersion));
  }

  /**
   * API 1.4 on. The builder is made behind a cast so that this class still links against an older
   * application API, which has no {@code TracerBuilder} (the method is then never called).
   */
  @Override
  public TracerBuilder tracerBuilder(String instrumentationScopeName) {
    return (TracerBuilder)
        BridgedTracerBuilder.create(agent.tracerBuilder(instrumentationScopeName));
  }
}
