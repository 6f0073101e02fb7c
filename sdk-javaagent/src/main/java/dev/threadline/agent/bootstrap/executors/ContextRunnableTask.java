package dev.threadline.agent.bootstrap.executors;

import io.opentelemetry.context.Context;

/** A runnable handed off with the context of the code that submitted it. */
public final class ContextRunnableTask implements Runnable, ContextTask {
  private final Context context;
  private final Runnable task;

  ContextRunnableTask(Context context, Runnable task) {
    this.context = context;
    this.task = task;
  }

  @Override
  public void run() {
    Object previous = TaskContexts.attach(context);
    try {
      task.run();
    } finally {
      TaskContexts.restore(previous);
    }
  }

  /** The application's own task. */
  public Runnable delegate() {
    return task;
  }

  @Override
  public String toString() {
    return task.toString();
  }
}
