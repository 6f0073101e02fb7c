package dev.threadline.agent.instrumentation.executors;

import dev.threadline.agent.bootstrap.executors.TaskContexts;
import net.bytebuddy.asm.Advice;

/**
 * Remembers the current context for {@code this} at the end of a CompletableFuture completion's
 * constructor: the code registering a stage is the code whose context the stage runs in. Applied
 * only to the completions that run application code (ExecutorsInstrumentation).
 */
public final class CaptureThisAdvice {
  private CaptureThisAdvice() {}

  @Advice.OnMethodExit(suppress = Throwable.class)
  public static void exit(@Advice.This Object task) {
    TaskContexts.capture(task);
  }
}
