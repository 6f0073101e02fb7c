package dev.threadline.agent.instrumentation.javahttpclient;

import dev.threadline.agent.bootstrap.http.ClientSpan;
import dev.threadline.agent.bootstrap.http.ClientSpans;
import java.net.http.HttpRequest;
import net.bytebuddy.asm.Advice;

/**
 * Entry of {@code send} and {@code sendAsync}: starts the CLIENT span and replaces the (immutable)
 * request by a copy carrying the trace headers.
 */
public final class RequestAdvice {
  private RequestAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static ClientSpan enter(
      @Advice.Argument(value = 0, readOnly = false) HttpRequest request) {
    if (ClientSpans.CALL_DEPTH.enter() > 0) {
      return null;
    }
    ClientSpan span = ClientSpans.start("java-http-client", request.method(), request.uri());
    if (span != null) {
      String[] headers = span.headers();
      if (headers.length > 0) {
        HttpRequest.Builder copy = HttpRequest.newBuilder(request, ClientSpans.ALL_HEADERS);
        for (int i = 0; i + 1 < headers.length; i += 2) {
          copy.setHeader(headers[i], headers[i + 1]);
        }
        request = copy.build();
      }
    }
    return span;
  }
}
