package dev.threadline.agent.instrumentation.executors;

import dev.threadline.agent.bootstrap.executors.VirtualThreadCarriers;
import net.bytebuddy.asm.Advice;

/** After {@code VirtualThread.mount}: the carrier's slot takes the virtual thread's context. */
public final class VirtualThreadMountAdvice {
  private VirtualThreadMountAdvice() {}

  @Advice.OnMethodExit(suppress = Throwable.class)
  public static void exit(@Advice.FieldValue("carrierThread") Thread carrier) {
    VirtualThreadCarriers.mounted(carrier);
  }
}
