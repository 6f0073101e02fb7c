package dev.threadline.agent.instrumentation.executors;

import dev.threadline.agent.bootstrap.executors.TaskContexts;
import net.bytebuddy.asm.Advice;

/**
 * {@code FutureTask.cancel}: a cancelled task releases its context at once, even when the pool
 * keeps the task in its queue until the delay expires ({@code setRemoveOnCancelPolicy(false)}, the
 * default).
 */
public final class CancelAdvice {
  private CancelAdvice() {}

  @Advice.OnMethodExit(suppress = Throwable.class)
  public static void exit(@Advice.This Object task, @Advice.Return boolean cancelled) {
    if (cancelled) {
      TaskContexts.forget(task);
    }
  }
}
