package dev.threadline.agent.instrumentation.executors;

import dev.threadline.agent.bootstrap.executors.TaskContexts;
import java.util.concurrent.ForkJoinTask;
import net.bytebuddy.asm.Advice;

/**
 * {@code ForkJoinPool.execute/submit(Runnable)}. A Runnable that is also a ForkJoinTask
 * (CompletableFuture's async tasks) is run by the pool as it is, so it is remembered rather than
 * wrapped; a plain Runnable is wrapped. The continuations of virtual threads, which the default
 * scheduler runs, are never touched: a virtual thread has its own context, and its carrier must not
 * run in someone else's.
 */
public final class PoolRunnableAdvice {
  private PoolRunnableAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static void enter(@Advice.Argument(value = 0, readOnly = false) Runnable task) {
    if (task instanceof ForkJoinTask) {
      TaskContexts.capture(task);
    } else if (task != null && !task.getClass().getName().startsWith("java.lang.VirtualThread")) {
      task = TaskContexts.wrap(task);
    }
  }
}
