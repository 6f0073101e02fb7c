package dev.threadline.agent.bootstrap.http;

import dev.threadline.agent.bootstrap.AgentTracing;
import dev.threadline.agent.bootstrap.Instrumentations;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.semconv.ClientAttributes;
import io.opentelemetry.semconv.HttpAttributes;
import io.opentelemetry.semconv.NetworkAttributes;
import io.opentelemetry.semconv.ServerAttributes;
import io.opentelemetry.semconv.UrlAttributes;
import io.opentelemetry.semconv.UserAgentAttributes;

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
      boolean known = HttpRules.isKnownMethod(method);
      SpanBuilder builder =
          AgentTracing.tracer(instrumentation)
              .spanBuilder(known ? method : "HTTP")
              .setParent(parent)
              .setSpanKind(SpanKind.SERVER)
              .setAttribute(HttpAttributes.HTTP_REQUEST_METHOD, known ? method : "_OTHER")
              .setAttribute(UrlAttributes.URL_PATH, path)
              .setAttribute(UrlAttributes.URL_SCHEME, scheme)
              .setAttribute(ServerAttributes.SERVER_ADDRESS, serverAddress)
              .setAttribute(ServerAttributes.SERVER_PORT, (long) serverPort);
      if (!known) {
        builder.setAttribute(HttpAttributes.HTTP_REQUEST_METHOD_ORIGINAL, method);
      }
      if (query != null) {
        builder.setAttribute(UrlAttributes.URL_QUERY, query);
      }
      if (clientAddress != null) {
        builder.setAttribute(ClientAttributes.CLIENT_ADDRESS, clientAddress);
      }
      if (userAgent != null) {
        builder.setAttribute(UserAgentAttributes.USER_AGENT_ORIGINAL, userAgent);
      }
      String version = HttpRules.protocolVersion(protocol);
      if (version != null) {
        builder.setAttribute(NetworkAttributes.NETWORK_PROTOCOL_VERSION, version);
      }
      Span span = builder.startSpan();
      return new ServerSpan(span, null, method);
    } catch (Throwable t) {
      Instrumentations.failed(instrumentation, t);
      return null;
    }
  }
}
