package dev.threadline.agent.instrumentation.annotations;

import dev.threadline.agent.bootstrap.annotations.WithSpans;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Around a {@code @WithSpan} method: the span starts and is current during the call, and ends on
 * return or throw (for a {@code CompletionStage}, when it completes). The method is passed as its
 * class and {@code name(descriptor)}, both constants in the instrumented code
 * ({@code @Advice.Origin Method} would look the {@code Method} up reflectively on every call); the
 * helper finds it once.
 */
public final class WithSpanAdvice {
  private WithSpanAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static Object enter(
      @Advice.Origin Class<?> type,
      @Advice.Origin("#m#d") String method,
      @Advice.AllArguments Object[] arguments) {
    return WithSpans.start(type, method, arguments);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(
      @Advice.Enter Object call,
      @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object result,
      @Advice.Thrown Throwable error) {
    WithSpans.end(call, result, error);
  }
}
