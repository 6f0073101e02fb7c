package dev.threadline.sdk.context;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.Objects;
import java.util.function.Supplier;

/** A {@link Supplier} that calls its delegate in the context captured when it was created. */
final class ContextSupplier<T> implements Supplier<T> {

  private final Context context;
  private final Supplier<T> task;

  ContextSupplier(Context context, Supplier<T> task) {
    this.context = context;
    this.task = Objects.requireNonNull(task, "task");
  }

  @Override
  public T get() {
    Context previous = Context.current();
    Scope scope = context.makeCurrent();
    try {
      return task.get();
    } finally {
      scope.close();
      WorkerContext.restore(previous);
    }
  }

  @Override
  public String toString() {
    return "ContextSupplier{" + task + '}';
  }
}
