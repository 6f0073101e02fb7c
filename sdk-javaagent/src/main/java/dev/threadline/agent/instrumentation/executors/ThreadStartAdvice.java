package dev.threadline.agent.instrumentation.executors;

import dev.threadline.agent.bootstrap.executors.ThreadStarts;
import net.bytebuddy.asm.Advice;

/**
 * {@code Thread.start}: the new thread starts in its creator's context, except the threads pools,
 * the JDK and frameworks start for themselves, which live long and serve everyone ({@link
 * ThreadStarts}).
 */
public final class ThreadStartAdvice {
  private ThreadStartAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static void enter(@Advice.This Thread thread) {
    if (ThreadStarts.mayInherit(thread)) {
      // Here, inlined into Thread.start, getCallerClass() answers who called start.
      ThreadStarts.capture(thread, ThreadStarts.CALLERS.getCallerClass());
    }
  }
}
