package dev.threadline.sdk.context;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.Objects;
import java.util.concurrent.Callable;

/** A {@link Callable} that calls its delegate in the context captured when it was created. */
final class ContextCallable<T> implements Callable<T> {

  private final Context context;
  private final Callable<T> task;

  ContextCallable(Context context, Callable<T> task) {
    this.context = context;
    this.task = Objects.requireNonNull(task, "task");
  }

  @Override
  public T call() throws Exception {
    Context previous = Context.current();
    Scope scope = context.makeCurrent();
    try {
      return task.call();
    } finally {
      scope.close();
      WorkerContext.restore(previous);
    }
  }

  @Override
  public String toString() {
    return "ContextCallable{" + task + '}';
  }
}
