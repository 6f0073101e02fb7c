package dev.threadline.agent.bootstrap.http;

import dev.threadline.agent.bootstrap.AgentTracing;
import dev.threadline.agent.bootstrap.Instrumentations;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;

/**
 * SERVER spans of servers whose requests are not served on one thread (WebFlux on Reactor Netty):
 * the same span as {@link ServerSpans}' (name, attributes, status rules of {@link ServerSpan}), but
 * not made current, since such a server carries the request's context along its reactive chain
 * instead, and continuing only the trace the request's own headers carry.
 */
public final class DetachedServerSpans {
  private DetachedServerSpans() {}

  /**
   * Starts the SERVER span of a request whose headers are read through {@code getter} (which gives
   * every value of a repeated header from {@link TextMapGetter#getAll}, as W3C Trace Context
   * needs).
   *
   * @return the span, or {@code null} when {@code instrumentation} is off or failed
   */
  public static <C> ServerSpan start(
      String instrumentation,
      C carrier,
      TextMapGetter<C> getter,
      String method,
      String scheme,
      String serverAddress,
      int serverPort,
      String path,
      String query,
      String clientAddress,
      String userAgent,
      String protocol) {
    if (!Instrumentations.isEnabled(instrumentation)) {
      return null;
    }
    try {
      Context parent = AgentTracing.propagator().extract(Context.root(), carrier, getter);
      Span span =
          ServerSpanStart.span(
              instrumentation,
              parent,
              method,
              scheme,
              serverAddress,
              serverPort,
              path,
              query,
              clientAddress,
              userAgent,
              protocol);
      return new ServerSpan(span, null, method);
    } catch (Throwable t) {
      Instrumentations.failed(instrumentation, t);
      return null;
    }
  }
}
