package dev.threadline.agent.instrumentation.opentelemetryapi.helpers;

import application.io.opentelemetry.api.common.AttributeKey;
import application.io.opentelemetry.api.common.Attributes;
import application.io.opentelemetry.api.trace.Span;
import application.io.opentelemetry.api.trace.SpanContext;
import application.io.opentelemetry.api.trace.StatusCode;
import java.util.concurrent.TimeUnit;

/** An agent span, as the application's API sees it: every call goes to the agent span. */
final class BridgedSpan implements Span {
  final io.opentelemetry.api.trace.Span agent;

  BridgedSpan(io.opentelemetry.api.trace.Span agent) {
    this.agent = agent;
  }

  @Override
  public Span setAttribute(String key, String value) {
    agent.setAttribute(key, value);
    return this;
  }

  @Override
  public Span setAttribute(String key, long value) {
    agent.setAttribute(key, value);
    return this;
  }

  @Override
  public Span setAttribute(String key, double value) {
    agent.setAttribute(key, value);
    return this;
  }

  @Override
  public Span setAttribute(String key, boolean value) {
    agent.setAttribute(key, value);
    return this;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> Span setAttribute(AttributeKey<T> key, T value) {
    io.opentelemetry.api.common.AttributeKey<Object> agentKey =
        (io.opentelemetry.api.common.AttributeKey<Object>) Spans.toAgent(key);
    if (agentKey != null && Spans.fits(value)) {
      agent.setAttribute(agentKey, value);
    }
    return this;
  }

  @Override
  public Span setAllAttributes(Attributes attributes) {
    agent.setAllAttributes(Spans.toAgent(attributes));
    return this;
  }

  @Override
  public Span addEvent(String name) {
    agent.addEvent(name);
    return this;
  }

  @Override
  public Span addEvent(String name, long timestamp, TimeUnit unit) {
    agent.addEvent(name, timestamp, unit);
    return this;
  }

  @Override
  public Span addEvent(String name, Attributes attributes) {
    agent.addEvent(name, Spans.toAgent(attributes));
    return this;
  }

  @Override
  public Span addEvent(String name, Attributes attributes, long timestamp, TimeUnit unit) {
    agent.addEvent(name, Spans.toAgent(attributes), timestamp, unit);
    return this;
  }

  @Override
  public Span addLink(SpanContext spanContext) {
    agent.addLink(Spans.toAgent(spanContext));
    return this;
  }

  @Override
  public Span addLink(SpanContext spanContext, Attributes attributes) {
    agent.addLink(Spans.toAgent(spanContext), Spans.toAgent(attributes));
    return this;
  }

  @Override
  public Span setStatus(StatusCode statusCode) {
    agent.setStatus(Spans.toAgent(statusCode));
    return this;
  }

  @Override
  public Span setStatus(StatusCode statusCode, String description) {
    agent.setStatus(Spans.toAgent(statusCode), description);
    return this;
  }

  @Override
  public Span recordException(Throwable exception) {
    agent.recordException(exception);
    return this;
  }

  @Override
  public Span recordException(Throwable exception, Attributes additionalAttributes) {
    agent.recordException(exception, Spans.toAgent(additionalAttributes));
    return this;
  }

  @Override
  public Span updateName(String name) {
    agent.updateName(name);
    return this;
  }

  @Override
  public void end() {
    agent.end();
  }

  @Override
  public void end(long timestamp, TimeUnit unit) {
    agent.end(timestamp, unit);
  }

  @Override
  public SpanContext getSpanContext() {
    return Spans.toApplication(agent.getSpanContext());
  }

  @Override
  public boolean isRecording() {
    return agent.isRecording();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof BridgedSpan bridged && bridged.agent.equals(agent);
  }

  @Override
  public int hashCode() {
    return agent.hashCode();
  }

  @Override
  public String toString() {
    return "BridgedSpan{" + agent + "}";
  }
}
