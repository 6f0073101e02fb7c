package dev.threadline.agent.instrumentation.opentelemetryapi.helpers;

import application.io.opentelemetry.api.trace.Tracer;
import application.io.opentelemetry.api.trace.TracerBuilder;

/** The application's tracer builder (API 1.4 on) over the agent's. */
final class BridgedTracerBuilder implements TracerBuilder {
  private final io.opentelemetry.api.trace.TracerBuilder agent;

  private BridgedTracerBuilder(io.opentelemetry.api.trace.TracerBuilder agent) {
    this.agent = agent;
  }

  static Object create(io.opentelemetry.api.trace.TracerBuilder agent) {
    return new BridgedTracerBuilder(agent);
  }

  @Override
  public TracerBuilder setSchemaUrl(String schemaUrl) {
    agent.setSchemaUrl(schemaUrl);
    return this;
  }

  @Override
  public TracerBuilder setInstrumentationVersion(String instrumentationScopeVersion) {
    agent.setInstrumentationVersion(instrumentationScopeVersion);
    return this;
  }

  @Override
  public Tracer build() {
    return new BridgedTracer(agent.build());
  }
}
