package dev.threadline.agent.instrumentation.executors;

import dev.threadline.agent.bootstrap.executors.TaskContexts;
import java.util.concurrent.RunnableScheduledFuture;
import net.bytebuddy.asm.Advice;

/**
 * {@code ScheduledThreadPoolExecutor.delayedExecute}, where every scheduled task is queued.
 * One-shot tasks carry the scheduling code's context; periodic ones never do (they would carry one
 * request's trace forever).
 */
public final class DelayedExecuteAdvice {
  private DelayedExecuteAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static void enter(@Advice.Argument(0) RunnableScheduledFuture<?> task) {
    if (!task.isPeriodic()) {
      TaskContexts.capture(task);
    }
  }
}
