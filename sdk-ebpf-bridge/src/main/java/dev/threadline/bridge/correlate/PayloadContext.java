package dev.threadline.bridge.correlate;

import dev.threadline.bridge.http.HttpMessage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.extension.trace.propagation.B3Propagator;
import io.opentelemetry.extension.trace.propagation.JaegerPropagator;
import java.util.List;

/**
 * The trace context a captured request carried, read with OpenTelemetry's own propagators: W3C
 * first, then B3, then Jaeger. A malformed or repeated header yields nothing, as it would for the
 * receiving SDK.
 *
 * @param traceId 32 hex digits
 * @param spanId 16 hex digits: the span that sent the request
 * @param rule which header it came from
 */
record PayloadContext(String traceId, String spanId, JoinRule rule) {
  private static final List<TextMapPropagator> PROPAGATORS =
      List.of(
          W3CTraceContextPropagator.getInstance(),
          B3Propagator.injectingSingleHeader(),
          JaegerPropagator.getInstance());
  private static final List<JoinRule> RULES =
      List.of(JoinRule.TRACEPARENT, JoinRule.B3, JoinRule.JAEGER);

  private static final TextMapGetter<HttpMessage> HEADERS =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(HttpMessage message) {
          return message.headers().keySet();
        }

        @Override
        public String get(HttpMessage message, String key) {
          return message == null ? null : message.header(key);
        }
      };

  /** The context in {@code request}'s headers, or null (also for a null request). */
  static PayloadContext of(HttpMessage request) {
    if (request == null || request.headers().isEmpty()) {
      return null;
    }
    for (int i = 0; i < PROPAGATORS.size(); i++) {
      Context extracted = PROPAGATORS.get(i).extract(Context.root(), request, HEADERS);
      SpanContext context = Span.fromContext(extracted).getSpanContext();
      if (context.isValid()) {
        return new PayloadContext(context.getTraceId(), context.getSpanId(), RULES.get(i));
      }
    }
    return null;
  }

  /**
   * {@code X-Kong-Request-Id} or {@code X-Request-Id} of a message (Kong adds the first upstream
   * and to its response by default; nginx passes the second when configured), or null.
   */
  static String requestId(HttpMessage message) {
    if (message == null) {
      return null;
    }
    String kong = message.header("x-kong-request-id");
    return kong != null ? kong : message.requestId();
  }
}
