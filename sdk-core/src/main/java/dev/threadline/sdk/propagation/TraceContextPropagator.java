package dev.threadline.sdk.propagation;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;

/** {@code traceparent} and {@code tracestate} as W3C Trace Context level 2 specifies them. */
final class TraceContextPropagator implements TextMapPropagator {
  static final TraceContextPropagator INSTANCE = new TraceContextPropagator();

  static final String TRACEPARENT = "traceparent";
  static final String TRACESTATE = "tracestate";
  private static final List<String> FIELDS = List.of(TRACEPARENT, TRACESTATE);

  private TraceContextPropagator() {}

  @Override
  public Collection<String> fields() {
    return FIELDS;
  }

  @Override
  public <C> void inject(Context context, C carrier, TextMapSetter<C> setter) {
    if (context == null || setter == null) {
      return;
    }
    SpanContext spanContext = Span.fromContext(context).getSpanContext();
    if (!spanContext.isValid()) {
      return;
    }
    setter.set(carrier, TRACEPARENT, Traceparent.format(spanContext));
    String tracestate = TraceStateList.format(spanContext.getTraceState());
    if (!tracestate.isEmpty()) {
      setter.set(carrier, TRACESTATE, tracestate);
    }
  }

  @Override
  public <C> Context extract(Context context, C carrier, TextMapGetter<C> getter) {
    if (context == null) {
      return Context.root();
    }
    if (getter == null) {
      return context;
    }
    Iterator<String> traceparents = getter.getAll(carrier, TRACEPARENT);
    if (traceparents == null || !traceparents.hasNext()) {
      return context;
    }
    String traceparent = traceparents.next();
    if (traceparents.hasNext()) {
      // Two traceparent fields: which one the caller meant is unknown, so neither is used.
      return context;
    }
    Traceparent parsed = Traceparent.parse(traceparent);
    if (parsed == null) {
      return context;
    }
    TraceState traceState = TraceStateList.parse(getter.getAll(carrier, TRACESTATE));
    return context.with(
        Span.wrap(
            SpanContext.createFromRemoteParent(
                parsed.traceId(), parsed.spanId(), parsed.flags(), traceState)));
  }

  @Override
  public String toString() {
    return "W3CTraceContext(level 2)";
  }
}
