package dev.threadline.agent.instrumentation.httpurlconnection;

import dev.threadline.agent.bootstrap.http.ClientSpan;
import dev.threadline.agent.bootstrap.http.ClientSpans;
import io.opentelemetry.context.Scope;
import java.net.HttpURLConnection;
import net.bytebuddy.asm.Advice;

/**
 * Starts the span at the first of connect/getOutputStream/getInputStream, while headers can still
 * be set, and makes it current during each of these calls: they are where the JDK writes the
 * request on the calling thread.
 */
public final class StartAdvice {
  private StartAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static Scope enter(
      @Advice.This HttpURLConnection connection,
      @Advice.FieldValue("connected") boolean connected) {
    ClientSpan span = ClientSpans.connection(connection);
    if (span == null && !connected) {
      span =
          ClientSpans.forConnection(
              "http-url-connection",
              connection,
              connection.getRequestMethod(),
              connection.getURL().toString());
      if (span != null) {
        String[] headers = span.headers();
        for (int i = 0; i + 1 < headers.length; i += 2) {
          connection.setRequestProperty(headers[i], headers[i + 1]);
        }
      }
    }
    return span == null ? null : span.makeCurrent();
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(@Advice.Enter Scope scope) {
    if (scope != null) {
      scope.close();
    }
  }
}
