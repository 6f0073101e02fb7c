package dev.threadline.agent.instrumentation.opentelemetryapi.helpers;

import io.opentelemetry.context.ContextKey;

/** What the bridge keeps in the agent's context beside the agent's own span and baggage. */
final class AgentKeys {
  /** The application-side context: every application key the bridge does not map. */
  static final ContextKey<application.io.opentelemetry.context.Context> APPLICATION_CONTEXT =
      ContextKey.named("threadline-application-context");

  /**
   * A span the application made current that is not an agent span (an SDK's of its own, {@code
   * Span.wrap}), with the agent span standing in for it, so the application gets its own back.
   */
  static final ContextKey<Mirror> SPAN = ContextKey.named("threadline-application-span");

  /** The application's baggage object with the agent baggage made from it. */
  static final ContextKey<Mirror> BAGGAGE = ContextKey.named("threadline-application-baggage");

  private AgentKeys() {}

  /** An application value and the agent value made from it. */
  record Mirror(Object application, Object agent) {}
}
