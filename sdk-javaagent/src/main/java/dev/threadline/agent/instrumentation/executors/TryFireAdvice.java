package dev.threadline.agent.instrumentation.executors;

import dev.threadline.agent.bootstrap.executors.TaskContexts;
import net.bytebuddy.asm.Advice;

/**
 * {@code tryFire} of CompletableFuture's completions: a synchronous stage ({@code thenApply},
 * {@code whenComplete}, ...) runs on whichever thread completes the future, in the context of the
 * code that registered it. A completion may be tried more than once (two sources, not yet
 * claimable, handed to its executor), so the context is kept until it has fired: the JDK clears the
 * completion's {@code dep} field then. (The return value does not say so: a completion that fired
 * returns its dependent only when tried nested with completions left to run.)
 */
public final class TryFireAdvice {
  private TryFireAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static Object enter(@Advice.This Object completion) {
    return TaskContexts.attachKeep(completion);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(
      @Advice.This Object completion,
      @Advice.Enter Object previous,
      @Advice.FieldValue("dep") Object dependent) {
    TaskContexts.restore(previous);
    if (dependent == null) {
      TaskContexts.forget(completion);
    }
  }
}
