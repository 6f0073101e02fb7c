package dev.threadline.agent.instrumentation.executors;

import dev.threadline.agent.bootstrap.executors.TaskContexts;
import java.util.concurrent.ForkJoinTask;
import net.bytebuddy.asm.Advice;

/**
 * {@code ForkJoinPool.execute/submit/invoke(ForkJoinTask)}: the task object carries the caller's
 * context.
 */
public final class PoolTaskAdvice {
  private PoolTaskAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static void enter(@Advice.Argument(0) ForkJoinTask<?> task) {
    TaskContexts.capture(task);
  }
}
