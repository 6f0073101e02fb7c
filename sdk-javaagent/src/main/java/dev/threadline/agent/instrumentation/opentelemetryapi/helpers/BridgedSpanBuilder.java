package dev.threadline.agent.instrumentation.opentelemetryapi.helpers;

import application.io.opentelemetry.api.common.AttributeKey;
import application.io.opentelemetry.api.common.Attributes;
import application.io.opentelemetry.api.trace.Span;
import application.io.opentelemetry.api.trace.SpanBuilder;
import application.io.opentelemetry.api.trace.SpanContext;
import application.io.opentelemetry.api.trace.SpanKind;
import application.io.opentelemetry.context.Context;
import java.util.concurrent.TimeUnit;

/**
 * The application's span builder over the agent's: with no explicit parent, the span's parent is
 * the agent's current context, which is also the application's.
 */
final class BridgedSpanBuilder implements SpanBuilder {
  private final io.opentelemetry.api.trace.SpanBuilder agent;

  BridgedSpanBuilder(io.opentelemetry.api.trace.SpanBuilder agent) {
    this.agent = agent;
  }

  @Override
  public SpanBuilder setParent(Context context) {
    if (context != null) {
      agent.setParent(BridgedContext.agentContextOf(context));
    }
    return this;
  }

  @Override
  public SpanBuilder setNoParent() {
    agent.setNoParent();
    return this;
  }

  @Override
  public SpanBuilder addLink(SpanContext spanContext) {
    agent.addLink(Spans.toAgent(spanContext));
    return this;
  }

  @Override
  public SpanBuilder addLink(SpanContext spanContext, Attributes attributes) {
    agent.addLink(Spans.toAgent(spanContext), Spans.toAgent(attributes));
    return this;
  }

  @Override
  public SpanBuilder setAttribute(String key, String value) {
    agent.setAttribute(key, value);
    return this;
  }

  @Override
  public SpanBuilder setAttribute(String key, long value) {
    agent.setAttribute(key, value);
    return this;
  }

  @Override
  public SpanBuilder setAttribute(String key, double value) {
    agent.setAttribute(key, value);
    return this;
  }

  @Override
  public SpanBuilder setAttribute(String key, boolean value) {
    agent.setAttribute(key, value);
    return this;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> SpanBuilder setAttribute(AttributeKey<T> key, T value) {
    io.opentelemetry.api.common.AttributeKey<Object> agentKey =
        (io.opentelemetry.api.common.AttributeKey<Object>) Spans.toAgent(key);
    if (agentKey != null && Spans.fits(value)) {
      agent.setAttribute(agentKey, value);
    }
    return this;
  }

  @Override
  public SpanBuilder setAllAttributes(Attributes attributes) {
    agent.setAllAttributes(Spans.toAgent(attributes));
    return this;
  }

  @Override
  public SpanBuilder setSpanKind(SpanKind spanKind) {
    if (spanKind != null) {
      agent.setSpanKind(Spans.toAgent(spanKind));
    }
    return this;
  }

  @Override
  public SpanBuilder setStartTimestamp(long startTimestamp, TimeUnit unit) {
    agent.setStartTimestamp(startTimestamp, unit);
    return this;
  }

  @Override
  public Span startSpan() {
    return Spans.toApplication(agent.startSpan());
  }
}
