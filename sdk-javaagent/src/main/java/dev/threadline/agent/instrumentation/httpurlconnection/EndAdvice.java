package dev.threadline.agent.instrumentation.httpurlconnection;

import dev.threadline.agent.bootstrap.http.ClientSpan;
import dev.threadline.agent.bootstrap.http.ClientSpans;
import java.net.HttpURLConnection;
import net.bytebuddy.asm.Advice;

/**
 * Ends the span when the response arrives: {@code getInputStream} is where the JDK reads the status
 * line (also when called through {@code getResponseCode}); it throws for 4xx/5xx, the status is
 * read back all the same.
 */
public final class EndAdvice {
  private EndAdvice() {}

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(
      @Advice.This HttpURLConnection connection,
      @Advice.FieldValue("responseCode") int responseCode,
      @Advice.FieldValue("connected") boolean connected,
      @Advice.Thrown Throwable thrown) {
    ClientSpan span = ClientSpans.takeConnection(connection);
    if (span == null) {
      return;
    }
    int status = responseCode;
    if (status <= 0 && connected) {
      // The JDK sets the field only in getResponseCode; the status line has been read by now. Only
      // on a connection that was made: on one that failed (refused, unreachable) getResponseCode
      // would connect again, and the nested getInputStream would start a second span on a
      // connection that no longer takes headers, failing the advice.
      try {
        status = connection.getResponseCode();
      } catch (java.io.IOException e) {
        status = 0;
      }
    }
    span.end(status, status > 0 ? null : thrown);
  }
}
