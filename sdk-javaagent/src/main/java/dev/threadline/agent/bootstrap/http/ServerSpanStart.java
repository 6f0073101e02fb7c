package dev.threadline.agent.bootstrap.http;

import dev.threadline.agent.bootstrap.AgentTracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.semconv.ClientAttributes;
import io.opentelemetry.semconv.HttpAttributes;
import io.opentelemetry.semconv.NetworkAttributes;
import io.opentelemetry.semconv.ServerAttributes;
import io.opentelemetry.semconv.UrlAttributes;
import io.opentelemetry.semconv.UserAgentAttributes;

/** The SERVER span of an incoming request, named and attributed by the HTTP conventions. */
final class ServerSpanStart {
  private ServerSpanStart() {}

  /** Starts it under {@code parent}; the caller decides whether and how it becomes current. */
  static Span span(
      String instrumentation,
      Context parent,
      String method,
      String scheme,
      String serverAddress,
      int serverPort,
      String path,
      String query,
      String clientAddress,
      String userAgent,
      String protocol) {
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
    return builder.startSpan();
  }
}
