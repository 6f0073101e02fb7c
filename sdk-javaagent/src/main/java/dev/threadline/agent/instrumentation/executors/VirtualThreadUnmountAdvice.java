package dev.threadline.agent.instrumentation.executors;

import dev.threadline.agent.bootstrap.executors.VirtualThreadCarriers;
import net.bytebuddy.asm.Advice;

/** Before {@code VirtualThread.unmount}: the carrier's slot gets its own context back. */
public final class VirtualThreadUnmountAdvice {
  private VirtualThreadUnmountAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static void enter(@Advice.FieldValue("carrierThread") Thread carrier) {
    VirtualThreadCarriers.unmounting(carrier);
  }
}
