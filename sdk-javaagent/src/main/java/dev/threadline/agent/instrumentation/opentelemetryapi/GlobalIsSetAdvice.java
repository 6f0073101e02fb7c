package dev.threadline.agent.instrumentation.opentelemetryapi;

import dev.threadline.agent.bootstrap.Instrumentations;
import dev.threadline.agent.bootstrap.opentelemetryapi.ApplicationApiBridge;
import net.bytebuddy.asm.Advice;

/** {@code GlobalOpenTelemetry.isSet()}: true while the global is the agent's bridge. */
public final class GlobalIsSetAdvice {
  private GlobalIsSetAdvice() {}

  @Advice.OnMethodExit(suppress = Throwable.class)
  public static void exit(@Advice.Return(readOnly = false) boolean set) {
    if (Instrumentations.isEnabled(ApplicationApiBridge.MODULE)) {
      set = true;
    }
  }
}
