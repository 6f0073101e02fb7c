package dev.threadline.agent.instrumentation.executors;

import dev.threadline.agent.bootstrap.executors.TaskContexts;
import net.bytebuddy.asm.Advice;

/**
 * {@code VirtualThread.start}: the virtual thread will run in its creator's context. Captured on
 * entry, since the thread may already be running when {@code start} returns.
 */
public final class VirtualThreadStartAdvice {
  private VirtualThreadStartAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static void enter(@Advice.This Thread thread) {
    TaskContexts.capture(thread);
  }
}
