package dev.threadline.sdk.context;

import io.opentelemetry.context.Context;

/** Puts a worker thread back into the context it had before a wrapped task ran. */
final class WorkerContext {

  private WorkerContext() {}

  /**
   * Called after the task's scope is closed. If the task attached a context and never closed its
   * scope, OpenTelemetry ignores our scope's close (the current context is not the one it
   * attached), and the leaked context would become the parent of whatever the pool thread runs
   * next: a cross-request trace corruption. Re-attaching {@code previous} ends that. Costs one
   * thread-local read when the task behaved.
   */
  static void restore(Context previous) {
    if (Context.current() != previous) {
      // No scope: this switch *is* the restore, there is nothing to undo later.
      ContextSwitchHook.switchTo(previous);
    }
  }
}
