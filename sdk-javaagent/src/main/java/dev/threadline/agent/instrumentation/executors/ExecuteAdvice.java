package dev.threadline.agent.instrumentation.executors;

import dev.threadline.agent.bootstrap.executors.TaskContexts;
import java.util.concurrent.ThreadPoolExecutor;
import net.bytebuddy.asm.Advice;

/**
 * {@code ThreadPoolExecutor.execute}: the task object itself is remembered with the submitter's
 * context (not wrapped), so the pool's {@code beforeExecute}/{@code afterExecute} still receive the
 * application's Runnable. Only when the same object is already queued with a context is this
 * submission wrapped instead. Pools of servers and connection pools ({@link
 * TaskContexts#isServerOrPoolInternal}) are left alone.
 */
public final class ExecuteAdvice {
  private ExecuteAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static void enter(
      @Advice.This ThreadPoolExecutor pool,
      @Advice.Argument(value = 0, readOnly = false) Runnable task) {
    if (!TaskContexts.isServerOrPoolInternal(pool)) {
      task = TaskContexts.captureOrWrap(task);
    }
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(@Advice.Argument(0) Runnable task, @Advice.Thrown Throwable thrown) {
    if (thrown != null) {
      // Rejected: the task will never run here, its context must not stay behind.
      TaskContexts.forget(task);
    }
  }
}
