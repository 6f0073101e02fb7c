package dev.threadline.agent.instrumentation.executors;

import dev.threadline.agent.bootstrap.executors.TaskContexts;
import net.bytebuddy.asm.Advice;

/**
 * {@code execute(Runnable)} of the application's own executors (and libraries' that are not pools
 * instrumented otherwise): the task is wrapped with the submitter's context. A task that already
 * carries one is left as is, so executors wrapping executors wrap once.
 */
public final class WrapRunnableAdvice {
  private WrapRunnableAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static void enter(@Advice.Argument(value = 0, readOnly = false) Runnable task) {
    task = TaskContexts.wrap(task);
  }
}
