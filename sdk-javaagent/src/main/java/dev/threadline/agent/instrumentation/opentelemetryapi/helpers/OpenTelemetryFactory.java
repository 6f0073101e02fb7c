package dev.threadline.agent.instrumentation.opentelemetryapi.helpers;

import dev.threadline.agent.bootstrap.AgentTracing;
import java.util.function.Supplier;

/**
 * Makes the application's bridged {@code OpenTelemetry} over the agent's (asked by the bootstrap
 * part through {@code HelperClasses}, which knows only {@link Supplier}).
 */
public final class OpenTelemetryFactory implements Supplier<Object> {
  @Override
  public Object get() {
    ApplicationKeys.check();
    return new BridgedOpenTelemetry(AgentTracing.openTelemetry());
  }
}
