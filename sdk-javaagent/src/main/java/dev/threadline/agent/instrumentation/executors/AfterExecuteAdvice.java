package dev.threadline.agent.instrumentation.executors;

import dev.threadline.agent.bootstrap.executors.WorkerTasks;
import net.bytebuddy.asm.Advice;

/** {@code afterExecute}: the worker goes back to the context it had before the task. */
public final class AfterExecuteAdvice {
  private AfterExecuteAdvice() {}

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(@Advice.Argument(0) Runnable task) {
    WorkerTasks.end(task);
  }
}
