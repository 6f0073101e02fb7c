package dev.threadline.agent.instrumentation.annotations;

import dev.threadline.agent.bootstrap.annotations.WithSpans;
import java.lang.reflect.Method;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Around a {@code @WithSpan} method: the span starts and is current during the call, and ends on
 * return or throw (for a {@code CompletionStage}, when it completes).
 */
public final class WithSpanAdvice {
  private WithSpanAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static Object enter(
      @Advice.Origin Method method, @Advice.AllArguments Object[] arguments) {
    return WithSpans.start(method, arguments);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(
      @Advice.Enter Object call,
      @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object result,
      @Advice.Thrown Throwable error) {
    WithSpans.end(call, result, error);
  }
}
