package dev.threadline.agent.instrumentation.opentelemetryapi;

import dev.threadline.agent.bootstrap.opentelemetryapi.ApplicationApiBridge;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * {@code GlobalOpenTelemetry.get()} / {@code getOrNoop()}: the bridged OpenTelemetry instead of
 * whatever the application's global holds (the original method does not run).
 */
public final class GlobalGetAdvice {
  private GlobalGetAdvice() {}

  @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
  public static Object enter(@Advice.Origin Class<?> globalType) {
    return ApplicationApiBridge.openTelemetry(globalType);
  }

  @Advice.OnMethodExit(suppress = Throwable.class)
  public static void exit(
      @Advice.Enter Object bridged,
      @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object result) {
    if (bridged != null) {
      result = bridged;
    }
  }
}
