package dev.threadline.sdk.context;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.Objects;

/** A {@link Runnable} that runs its delegate in the context captured when it was created. */
final class ContextRunnable implements Runnable {

  private final Context context;
  private final Runnable task;

  ContextRunnable(Context context, Runnable task) {
    this.context = context;
    this.task = Objects.requireNonNull(task, "task");
  }

  @Override
  public void run() {
    Context previous = Context.current();
    Scope scope = context.makeCurrent();
    try {
      task.run();
    } finally {
      scope.close();
      WorkerContext.restore(previous);
    }
  }

  @Override
  public String toString() {
    return "ContextRunnable{" + task + '}';
  }
}
