package dev.threadline.agent.instrumentation.opentelemetryapi;

import dev.threadline.agent.bootstrap.opentelemetryapi.ApplicationApiBridge;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * {@code ContextStorage.get()}: the storage backed by the agent's context instead of the
 * application's own (which still answers while the bridge is being made or is off).
 */
public final class ContextStorageGetAdvice {
  private ContextStorageGetAdvice() {}

  @Advice.OnMethodExit(suppress = Throwable.class)
  public static void exit(
      @Advice.Origin Class<?> storageType,
      @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object storage) {
    storage = ApplicationApiBridge.contextStorage(storageType, storage);
  }
}
