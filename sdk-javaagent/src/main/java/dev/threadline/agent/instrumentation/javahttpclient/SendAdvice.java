package dev.threadline.agent.instrumentation.javahttpclient;

import dev.threadline.agent.bootstrap.http.ClientSpan;
import dev.threadline.agent.bootstrap.http.ClientSpans;
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
    ClientSpans.CALL_DEPTH.exit();
    if (span != null) {
      span.end(response == null ? 0 : response.statusCode(), thrown);
    }
  }
}
