package dev.threadline.agent.instrumentation.executors;

import dev.threadline.agent.bootstrap.executors.WorkerTasks;
import net.bytebuddy.asm.Advice;

/**
 * {@code beforeExecute} of {@code ThreadPoolExecutor} and of every subclass that overrides it (an
 * override that does not call {@code super} must not lose the context): the worker enters the
 * task's captured context. The first of several nested calls takes it; the others find nothing
 * left.
 */
public final class BeforeExecuteAdvice {
  private BeforeExecuteAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static void enter(@Advice.Argument(1) Runnable task) {
    WorkerTasks.begin(task);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(@Advice.Argument(1) Runnable task, @Advice.Thrown Throwable thrown) {
    if (thrown != null) {
      // The task will not run and afterExecute will not be called: leave the worker as it was.
      WorkerTasks.end(task);
    }
  }
}
