package dev.threadline.agent.instrumentation.executors;

import dev.threadline.agent.bootstrap.executors.WorkerTasks;
import net.bytebuddy.asm.Advice;

/**
 * {@code ThreadPoolExecutor.addWorker}: the worker thread it starts must not inherit the
 * submitter's context.
 */
public final class AddWorkerAdvice {
  private AddWorkerAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static void enter() {
    WorkerTasks.enterPoolInternals();
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit() {
    WorkerTasks.exitPoolInternals();
  }
}
