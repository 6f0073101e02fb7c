package dev.threadline.agent.instrumentation.servlet;

import dev.threadline.agent.bootstrap.http.RequestHeaders;
import dev.threadline.agent.bootstrap.http.ServerSpan;
import dev.threadline.agent.bootstrap.http.ServerSpans;
import io.opentelemetry.context.Scope;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into filters and servlets. Reads the request here, in the application's class loader
 * where the servlet API lives, and hands plain values to {@link ServerSpans}.
 */
public final class ServletAdvice {
  /**
   * Set by Spring MVC's handler mapping; read here so a plain servlet request still gets its route.
   */
  public static final String SPRING_ROUTE =
      "org.springframework.web.servlet.HandlerMapping.bestMatchingPattern";

  private ServletAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static ServerSpan enter(
      @Advice.Argument(0) ServletRequest servletRequest, @Advice.Local("resumed") Scope resumed) {
    if (!(servletRequest instanceof HttpServletRequest)) {
      return null;
    }
    Object traced = servletRequest.getAttribute(ServerSpans.REQUEST_ATTRIBUTE);
    if (traced != null) {
      // A nested filter, or an async/error dispatch of a traced request on another thread: the
      // latter runs under the request's span.
      resumed = ServerSpans.resume(traced);
      return null;
    }
    HttpServletRequest request = (HttpServletRequest) servletRequest;
    String[] names = ServerSpans.propagationHeaders();
    // Every value of each header: a repeated traceparent or tracestate means something.
    String[][] values = new String[names.length][];
    for (int i = 0; i < names.length; i++) {
      values[i] = RequestHeaders.values(request.getHeaders(names[i]));
    }
    ServerSpan span =
        ServerSpans.start(
            names,
            values,
            request.getMethod(),
            request.getScheme(),
            request.getServerName(),
            request.getServerPort(),
            request.getRequestURI(),
            request.getQueryString(),
            request.getRemoteAddr(),
            request.getHeader("User-Agent"),
            request.getProtocol());
    if (span != null) {
      request.setAttribute(ServerSpans.REQUEST_ATTRIBUTE, span);
    }
    return span;
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(
      @Advice.Enter ServerSpan span,
      @Advice.Local("resumed") Scope resumed,
      @Advice.Argument(0) ServletRequest servletRequest,
      @Advice.Argument(1) ServletResponse servletResponse,
      @Advice.Thrown Throwable thrown) {
    if (resumed != null) {
      resumed.close();
    }
    if (span == null) {
      return;
    }
    span.closeScope();
    HttpServletRequest request = (HttpServletRequest) servletRequest;
    Object route = request.getAttribute(SPRING_ROUTE);
    if (route != null) {
      span.setRoute(route.toString());
    }
    if (thrown == null && request.isAsyncStarted()) {
      // The response is written later, on another thread: end the span when the request really
      // completes.
      request
          .getAsyncContext()
          .addListener((AsyncListener) ServerSpans.asyncListener(AsyncListener.class, span));
      return;
    }
    int status =
        servletResponse instanceof HttpServletResponse
            ? ((HttpServletResponse) servletResponse).getStatus()
            : 0;
    if (!ServerSpans.deferToContainer(span, status, thrown)) {
      span.end(status, thrown);
    }
  }
}
