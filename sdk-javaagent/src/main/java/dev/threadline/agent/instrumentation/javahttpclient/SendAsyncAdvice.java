package dev.threadline.agent.instrumentation.javahttpclient;

import dev.threadline.agent.bootstrap.http.ClientSpan;
import dev.threadline.agent.bootstrap.http.ClientSpans;
import java.util.concurrent.CompletableFuture;
import net.bytebuddy.asm.Advice;

/** Exit of {@code HttpClient.sendAsync}: the span ends when the returned future completes. */
public final class SendAsyncAdvice {
  private SendAsyncAdvice() {}

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(
      @Advice.Enter ClientSpan span,
      @Advice.Return CompletableFuture<?> future,
      @Advice.Thrown Throwable thrown) {
    ClientSpans.CALL_DEPTH.exit();
    if (span == null) {
      return;
    }
    if (thrown != null || future == null) {
      span.end(0, thrown);
      return;
    }
    future.whenComplete(span.endWhenComplete("java.net.http.HttpResponse", "statusCode"));
  }
}
