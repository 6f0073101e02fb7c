package dev.threadline.agent.instrumentation.httpurlconnection;

import dev.threadline.agent.bootstrap.http.ClientSpan;
import dev.threadline.agent.bootstrap.http.ClientSpans;
import java.net.HttpURLConnection;
import net.bytebuddy.asm.Advice;

/**
 * Starts the span at the first of connect/getOutputStream/getInputStream, while headers can still
 * be set.
 */
public final class StartAdvice {
  private StartAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static void enter(
      @Advice.This HttpURLConnection connection,
      @Advice.FieldValue("connected") boolean connected) {
    if (connected || ClientSpans.hasConnection(connection)) {
      return;
    }
    ClientSpan span =
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
}
