package dev.threadline.agent.bootstrap.http;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.semconv.ErrorAttributes;
import io.opentelemetry.semconv.HttpAttributes;
import java.util.concurrent.atomic.AtomicBoolean;

/** An open SERVER span and the scope that made it current on the request thread. */
public final class ServerSpan {
  private final Span span;
  private final String method;
  private final AtomicBoolean ended = new AtomicBoolean();
  private Scope scope;

  /** The request thread while the span's scope is open there. */
  private volatile Thread scopeThread = Thread.currentThread();

  /**
   * Set once the request's own servlet returned: an error page the container dispatches afterwards
   * (Spring Boot's {@code /error}) must not rename the request's span.
   */
  private volatile boolean routeFixed;

  /** The route last set: the handler adapter and the servlet's exit both report the same one. */
  private String route;

  ServerSpan(Span span, Scope scope, String method) {
    this.span = span;
    this.scope = scope;
    this.method = method;
  }

  /** Whether the span's own scope is still open on {@code thread} (a nested filter runs there). */
  boolean scopeOpenOn(Thread thread) {
    return scopeThread == thread;
  }

  /** Names the span after the matched route, as {@code GET /items/{id}}. */
  public void setRoute(String route) {
    if (route == null || route.isEmpty() || ended.get() || routeFixed || route.equals(this.route)) {
      return;
    }
    this.route = route;
    span.setAttribute(HttpAttributes.HTTP_ROUTE, route);
    span.updateName(HttpRules.serverSpanName(method, route));
  }

  /** The request's own servlet returned: its route is final. */
  void fixRoute() {
    routeFixed = true;
  }

  /** Ends the request thread's scope; the span itself may end later (async requests). */
  public void closeScope() {
    Scope current = scope;
    scope = null;
    scopeThread = null;
    if (current != null) {
      current.close();
    }
  }

  /**
   * Ends the span with the response status; 5xx or an exception mark it as an error. Idempotent.
   */
  public void end(int status, Throwable error) {
    if (!ended.compareAndSet(false, true)) {
      return;
    }
    try {
      int effectiveStatus = error != null && status < 400 ? 500 : status;
      if (effectiveStatus > 0) {
        span.setAttribute(HttpAttributes.HTTP_RESPONSE_STATUS_CODE, (long) effectiveStatus);
      }
      if (error != null) {
        span.recordException(error);
        span.setAttribute(ErrorAttributes.ERROR_TYPE, error.getClass().getName());
        span.setStatus(StatusCode.ERROR);
      } else if (effectiveStatus >= 500) {
        span.setAttribute(ErrorAttributes.ERROR_TYPE, Integer.toString(effectiveStatus));
        span.setStatus(StatusCode.ERROR);
      }
    } finally {
      span.end();
    }
  }

  public Span span() {
    return span;
  }
}
