package dev.threadline.agent.instrumentation.executors;

import dev.threadline.agent.bootstrap.executors.TaskContexts;
import net.bytebuddy.asm.Advice;

/**
 * Around the method that runs a task object ({@code ForkJoinTask.doExec}, {@code
 * VirtualThread.run}, {@code Thread.run}): the context captured for {@code this} is attached once,
 * and the thread's own context is restored afterwards.
 */
public final class RunOnceAdvice {
  private RunOnceAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static Object enter(@Advice.This Object task) {
    return TaskContexts.attachOnce(task);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(@Advice.Enter Object previous) {
    TaskContexts.restore(previous);
  }
}
