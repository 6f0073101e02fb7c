package dev.threadline.sdk.propagation;

import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.TextMapPropagator;

/**
 * The {@code tracecontext} propagator Threadline configures: W3C Trace Context level 2, exactly.
 *
 * <p>Compared with OpenTelemetry's {@link W3CTraceContextPropagator}, it reads every value of a
 * repeated header through {@link io.opentelemetry.context.propagation.TextMapGetter#getAll} (two
 * {@code traceparent} values make the traceparent invalid, so the trace restarts; several {@code
 * tracestate} values are combined into one list in order), and validates {@code tracestate} with
 * the level-2 grammar: a list that is invalid as a whole (a malformed member, more than 32 members,
 * a key or value too long) is discarded while the traceparent is still used; empty members are
 * skipped; a repeated key keeps its first (left-most) entry. What is injected is that valid list,
 * unchanged (Threadline adds no entry of its own).
 */
public final class W3CTraceContext {
  private W3CTraceContext() {}

  /** The propagator (one shared, stateless instance). */
  public static TextMapPropagator propagator() {
    return TraceContextPropagator.INSTANCE;
  }

  /**
   * For autoconfiguration's propagator customizer: OpenTelemetry's W3C propagator is replaced by
   * {@link #propagator()}; any other propagator (baggage, B3, Jaeger, ...) is returned as it is.
   */
  public static TextMapPropagator inPlaceOf(TextMapPropagator configured) {
    return configured == W3CTraceContextPropagator.getInstance() ? propagator() : configured;
  }
}
