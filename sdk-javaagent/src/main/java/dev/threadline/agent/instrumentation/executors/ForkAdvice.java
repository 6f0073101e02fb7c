package dev.threadline.agent.instrumentation.executors;

import dev.threadline.agent.bootstrap.executors.TaskContexts;
import net.bytebuddy.asm.Advice;

/**
 * {@code ForkJoinTask.fork}: the forked task carries the forking code's context (parallel streams,
 * recursion).
 */
public final class ForkAdvice {
  private ForkAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static void enter(@Advice.This Object task) {
    TaskContexts.capture(task);
  }
}
