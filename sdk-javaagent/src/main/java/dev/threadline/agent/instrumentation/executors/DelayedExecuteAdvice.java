package dev.threadline.agent.instrumentation.executors;

import dev.threadline.agent.bootstrap.executors.TaskContexts;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import net.bytebuddy.asm.Advice;

/**
 * {@code ScheduledThreadPoolExecutor.delayedExecute}, where every scheduled task is queued.
 * One-shot tasks carry the scheduling code's context; periodic ones never do (they would carry one
 * request's trace forever), nor do those of servers' and connection pools' own schedulers ({@link
 * TaskContexts#isServerOrPoolInternal}).
 */
public final class DelayedExecuteAdvice {
  private DelayedExecuteAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static void enter(
      @Advice.This ScheduledThreadPoolExecutor pool,
      @Advice.Argument(0) RunnableScheduledFuture<?> task) {
    if (!task.isPeriodic() && !TaskContexts.isServerOrPoolInternal(pool)) {
      TaskContexts.capture(task);
    }
  }
}
