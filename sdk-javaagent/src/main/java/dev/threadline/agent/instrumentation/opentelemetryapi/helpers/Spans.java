package dev.threadline.agent.instrumentation.opentelemetryapi.helpers;

import application.io.opentelemetry.api.common.AttributeKey;
import application.io.opentelemetry.api.common.Attributes;
import application.io.opentelemetry.api.trace.Span;
import application.io.opentelemetry.api.trace.SpanContext;
import application.io.opentelemetry.api.trace.SpanKind;
import application.io.opentelemetry.api.trace.StatusCode;
import application.io.opentelemetry.api.trace.TraceFlags;
import application.io.opentelemetry.api.trace.TraceState;
import application.io.opentelemetry.api.trace.TraceStateBuilder;
import java.util.List;

/**
 * Trace values translated between the application's API and the agent's. Enums go by name and
 * attribute keys by type name, so application APIs with fewer (or more) constants still work: what
 * the agent's API has no counterpart for is dropped.
 */
final class Spans {
  private Spans() {}

  static io.opentelemetry.context.Context agentRoot() {
    return io.opentelemetry.context.Context.root();
  }

  static Span toApplication(io.opentelemetry.api.trace.Span agent) {
    return agent.getSpanContext().isValid() ? new BridgedSpan(agent) : Span.getInvalid();
  }

  /** The agent span for an application span; one the agent did not make is wrapped. */
  static io.opentelemetry.api.trace.Span toAgent(Span application) {
    if (application instanceof BridgedSpan bridged) {
      return bridged.agent;
    }
    if (application == null || !application.getSpanContext().isValid()) {
      return io.opentelemetry.api.trace.Span.getInvalid();
    }
    return io.opentelemetry.api.trace.Span.wrap(toAgent(application.getSpanContext()));
  }

  static SpanContext toApplication(io.opentelemetry.api.trace.SpanContext agent) {
    TraceFlags flags = TraceFlags.fromByte(agent.getTraceFlags().asByte());
    TraceStateBuilder state = TraceState.builder();
    agent.getTraceState().forEach(state::put);
    return agent.isRemote()
        ? SpanContext.createFromRemoteParent(
            agent.getTraceId(), agent.getSpanId(), flags, state.build())
        : SpanContext.create(agent.getTraceId(), agent.getSpanId(), flags, state.build());
  }

  static io.opentelemetry.api.trace.SpanContext toAgent(SpanContext application) {
    io.opentelemetry.api.trace.TraceFlags flags =
        io.opentelemetry.api.trace.TraceFlags.fromByte(application.getTraceFlags().asByte());
    io.opentelemetry.api.trace.TraceStateBuilder state =
        io.opentelemetry.api.trace.TraceState.builder();
    application.getTraceState().forEach(state::put);
    return application.isRemote()
        ? io.opentelemetry.api.trace.SpanContext.createFromRemoteParent(
            application.getTraceId(), application.getSpanId(), flags, state.build())
        : io.opentelemetry.api.trace.SpanContext.create(
            application.getTraceId(), application.getSpanId(), flags, state.build());
  }

  static io.opentelemetry.api.trace.SpanKind toAgent(SpanKind kind) {
    try {
      return io.opentelemetry.api.trace.SpanKind.valueOf(kind.name());
    } catch (IllegalArgumentException e) {
      return io.opentelemetry.api.trace.SpanKind.INTERNAL;
    }
  }

  static io.opentelemetry.api.trace.StatusCode toAgent(StatusCode code) {
    try {
      return io.opentelemetry.api.trace.StatusCode.valueOf(code.name());
    } catch (IllegalArgumentException e) {
      return io.opentelemetry.api.trace.StatusCode.UNSET;
    }
  }

  static io.opentelemetry.api.common.Attributes toAgent(Attributes application) {
    if (application == null || application.isEmpty()) {
      return io.opentelemetry.api.common.Attributes.empty();
    }
    io.opentelemetry.api.common.AttributesBuilder builder =
        io.opentelemetry.api.common.Attributes.builder();
    application.forEach((key, value) -> put(builder, key, value));
    return builder.build();
  }

  @SuppressWarnings("unchecked")
  private static void put(
      io.opentelemetry.api.common.AttributesBuilder builder, AttributeKey<?> key, Object value) {
    io.opentelemetry.api.common.AttributeKey<Object> agentKey =
        (io.opentelemetry.api.common.AttributeKey<Object>) toAgent(key);
    if (agentKey != null && value != null) {
      builder.put(agentKey, value);
    }
  }

  /** The agent's key of the same name and type, or {@code null} for a type it has not. */
  static io.opentelemetry.api.common.AttributeKey<?> toAgent(AttributeKey<?> key) {
    String name = key.getKey();
    switch (key.getType().name()) {
      case "STRING":
        return io.opentelemetry.api.common.AttributeKey.stringKey(name);
      case "BOOLEAN":
        return io.opentelemetry.api.common.AttributeKey.booleanKey(name);
      case "LONG":
        return io.opentelemetry.api.common.AttributeKey.longKey(name);
      case "DOUBLE":
        return io.opentelemetry.api.common.AttributeKey.doubleKey(name);
      case "STRING_ARRAY":
        return io.opentelemetry.api.common.AttributeKey.stringArrayKey(name);
      case "BOOLEAN_ARRAY":
        return io.opentelemetry.api.common.AttributeKey.booleanArrayKey(name);
      case "LONG_ARRAY":
        return io.opentelemetry.api.common.AttributeKey.longArrayKey(name);
      case "DOUBLE_ARRAY":
        return io.opentelemetry.api.common.AttributeKey.doubleArrayKey(name);
      default:
        return null;
    }
  }

  /** Checks that a value of an application attribute fits the agent key (arrays are lists). */
  static boolean fits(Object value) {
    return value instanceof String
        || value instanceof Boolean
        || value instanceof Long
        || value instanceof Double
        || value instanceof List;
  }
}
