package dev.threadline.agent.instrumentation.executors;

import dev.threadline.agent.bootstrap.executors.TaskContexts;
import dev.threadline.agent.bootstrap.executors.WorkerTasks;
import java.util.concurrent.ForkJoinWorkerThread;
import net.bytebuddy.asm.Advice;

/**
 * {@code Thread.start} (setting {@code threadline.instrumentation.thread-start.enabled}): the new
 * thread starts in its creator's context, except the workers a pool starts for itself, which live
 * long and serve everyone.
 */
public final class ThreadStartAdvice {
  private ThreadStartAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static void enter(@Advice.This Thread thread) {
    if (!(thread instanceof ForkJoinWorkerThread) && !WorkerTasks.startingPoolWorker()) {
      TaskContexts.capture(thread);
    }
  }
}
