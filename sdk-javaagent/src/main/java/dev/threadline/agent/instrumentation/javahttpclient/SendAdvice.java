package dev.threadline.agent.instrumentation.javahttpclient;

import dev.threadline.agent.bootstrap.CallDepth;
import dev.threadline.agent.bootstrap.ClientSpan;
import java.net.http.HttpResponse;
import net.bytebuddy.asm.Advice;

/** Exit of {@code HttpClient.send}: ends the span with the response status. */
public final class SendAdvice {
  private SendAdvice() {}

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(
      @Advice.Enter ClientSpan span,
      @Advice.Return HttpResponse<?> response,
      @Advice.Thrown Throwable thrown) {
    CallDepth.exit(CallDepth.HTTP_CLIENT);
    if (span != null) {
      span.end(response == null ? 0 : response.statusCode(), thrown);
    }
  }
}
