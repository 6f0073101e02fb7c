package dev.threadline.agent.instrumentation.tomcat;

import dev.threadline.agent.bootstrap.http.ServerSpans;
import net.bytebuddy.asm.Advice;

/** Around {@code CoyoteAdapter.service}: Tomcat serves one request on this thread. */
public final class AdapterServiceAdvice {
  private AdapterServiceAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static void enter() {
    ServerSpans.containerEnter();
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit() {
    ServerSpans.containerExit();
  }
}
