package dev.threadline.agent.instrumentation.apachehttpclient5;

import dev.threadline.agent.bootstrap.http.ClientSpan;
import dev.threadline.agent.bootstrap.http.ClientSpans;
import io.opentelemetry.context.Scope;
import net.bytebuddy.asm.Advice;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpResponse;

/** Inlined into {@code doExecute(HttpHost, ClassicHttpRequest, HttpContext)}. */
public final class DoExecuteAdvice {
  private DoExecuteAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static ClientSpan enter(
      @Advice.Argument(0) HttpHost target,
      @Advice.Argument(1) ClassicHttpRequest request,
      @Advice.Local("scope") Scope scope) {
    if (ClientSpans.CALL_DEPTH.enter() > 0) {
      return null;
    }
    String url =
        target != null ? target.toURI() + request.getRequestUri() : request.getRequestUri();
    ClientSpan span = ClientSpans.start("apache-httpclient-5", request.getMethod(), url);
    if (span != null) {
      String[] headers = span.headers();
      for (int i = 0; i + 1 < headers.length; i += 2) {
        request.setHeader(headers[i], headers[i + 1]);
      }
      // The classic client writes the request on this thread, inside doExecute.
      scope = span.makeCurrent();
    }
    return span;
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(
      @Advice.Enter ClientSpan span,
      @Advice.Local("scope") Scope scope,
      @Advice.Return Object response,
      @Advice.Thrown Throwable thrown) {
    if (scope != null) {
      scope.close();
    }
    ClientSpans.CALL_DEPTH.exit();
    if (span != null) {
      span.end(response instanceof HttpResponse ? ((HttpResponse) response).getCode() : 0, thrown);
    }
  }
}
