package dev.threadline.agent.bootstrap.executors;

import io.opentelemetry.context.Context;
import java.util.concurrent.Callable;

/** A callable handed off with the context of the code that submitted it. */
public final class ContextCallableTask<T> implements Callable<T>, ContextTask {
  private final Context context;
  private final Callable<T> task;

  ContextCallableTask(Context context, Callable<T> task) {
    this.context = context;
    this.task = task;
  }

  @Override
  public T call() throws Exception {
    Object previous = TaskContexts.attach(context);
    try {
      return task.call();
    } finally {
      TaskContexts.restore(previous);
    }
  }

  @Override
  public String toString() {
    return task.toString();
  }
}
