package dev.threadline.agent.instrumentation.executors;

import dev.threadline.agent.bootstrap.executors.TaskContexts;
import java.util.concurrent.Callable;
import net.bytebuddy.asm.Advice;

/** {@code ForkJoinPool.submit(Callable)}: the callable is wrapped with the caller's context. */
public final class PoolCallableAdvice {
  private PoolCallableAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static void enter(@Advice.Argument(value = 0, readOnly = false) Callable<?> task) {
    task = TaskContexts.wrap(task);
  }
}
