package dev.threadline.agent.bootstrap.executors;

import io.opentelemetry.context.Context;

/**
 * Read-only views of the agent's context for diagnostics and tests run with the agent (the
 * application's own OpenTelemetry API cannot see the agent's relocated one).
 */
public final class ContextProbe {
  private ContextProbe() {}

  /** Whether the calling thread is in the root context. */
  public static boolean isRoot() {
    return Context.current() == Context.root();
  }

  /** The calling thread's current context object, to watch with a weak reference. */
  public static Object current() {
    return Context.current();
  }

  /** Tasks that still hold a captured context. */
  public static int pendingTasks() {
    return TaskContexts.pending();
  }
}
