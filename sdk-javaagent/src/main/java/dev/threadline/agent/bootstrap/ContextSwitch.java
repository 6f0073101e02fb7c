package dev.threadline.agent.bootstrap;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextStorage;
import java.util.function.Consumer;

/**
 * Makes a context current with no scope, for the helpers that put the thread back into its earlier
 * context themselves (a pool worker around a task, a server request's span): an attach whose scope
 * they would only drop allocates that scope for nothing. The scope-less switch is the
 * context-switch hook's, which the agent's class loader holds, out of reach of this bootstrap
 * class; the installer hands it over once at start-up.
 */
public final class ContextSwitch {
  // Written once before any instrumentation is installed; a thread that has not seen it yet takes
  // the attach below, which does the same and allocates a scope.
  private static Consumer<Context> scopeless;

  private ContextSwitch() {}

  /** Set by the installer: the hook's {@code ContextSwitchHook.switchTo}. */
  public static void use(Consumer<Context> switchTo) {
    scopeless = switchTo;
  }

  /** Makes {@code context} current on this thread; no-op for {@code null}. */
  public static void to(Context context) {
    if (context == null) {
      return;
    }
    Consumer<Context> switchTo = scopeless;
    if (switchTo != null) {
      switchTo.accept(context);
    } else {
      ContextStorage.get().attach(context);
    }
  }
}
