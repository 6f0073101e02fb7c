package dev.threadline.agent.instrumentation.opentelemetryapi.helpers;

import application.io.opentelemetry.api.trace.SpanBuilder;
import application.io.opentelemetry.api.trace.Tracer;

/** The application's tracer over one of the agent's (same instrumentation scope). */
final class BridgedTracer implements Tracer {
  private final io.opentelemetry.api.trace.Tracer agent;

  BridgedTracer(io.opentelemetry.api.trace.Tracer agent) {
    this.agent = agent;
  }

  @Override
  public SpanBuilder spanBuilder(String spanName) {
    return new BridgedSpanBuilder(agent.spanBuilder(spanName));
  }
}
