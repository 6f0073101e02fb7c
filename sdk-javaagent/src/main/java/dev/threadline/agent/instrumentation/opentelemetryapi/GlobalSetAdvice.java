package dev.threadline.agent.instrumentation.opentelemetryapi;

import dev.threadline.agent.bootstrap.opentelemetryapi.ApplicationApiBridge;
import net.bytebuddy.asm.Advice;

/** {@code GlobalOpenTelemetry.set(...)}: skipped while the global is the agent's bridge. */
public final class GlobalSetAdvice {
  private GlobalSetAdvice() {}

  @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
  public static boolean enter() {
    return ApplicationApiBridge.ignoreGlobalSet();
  }
}
