package dev.threadline.agent.instrumentation.opentelemetryapi.helpers;

import application.io.opentelemetry.context.propagation.ContextPropagators;
import application.io.opentelemetry.context.propagation.TextMapPropagator;

/** The agent's propagators (the formats it was configured with), for the application's API. */
final class BridgedPropagators implements ContextPropagators {
  private final TextMapPropagator textMapPropagator;

  BridgedPropagators(TextMapPropagator textMapPropagator) {
    this.textMapPropagator = textMapPropagator;
  }

  @Override
  public TextMapPropagator getTextMapPropagator() {
    return textMapPropagator;
  }
}
