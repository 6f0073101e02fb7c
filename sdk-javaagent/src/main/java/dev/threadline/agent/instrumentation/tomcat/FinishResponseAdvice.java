package dev.threadline.agent.instrumentation.tomcat;

import dev.threadline.agent.bootstrap.http.ServerSpans;
import io.opentelemetry.context.Scope;
import net.bytebuddy.asm.Advice;

/** Around {@code Response.finishResponse}: the end of the response is written in its span. */
public final class FinishResponseAdvice {
  private FinishResponseAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static Scope enter() {
    return ServerSpans.containerFinishing();
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(@Advice.Enter Scope scope) {
    if (scope != null) {
      scope.close();
    }
  }
}
