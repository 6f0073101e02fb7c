package dev.threadline.sdk.context;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;

/** Contexts holding a (non-recording) span with a fixed, recognizable span context. */
final class TestContexts {

  private TestContexts() {}

  /**
   * A root context plus a span whose trace and span ids end with {@code suffix} (1 to 16 hex
   * digits).
   */
  static Context withSpan(String suffix) {
    String spanId = "0000000000000000".substring(suffix.length()) + suffix;
    SpanContext spanContext =
        SpanContext.create(
            "4bf92f3577b34da6" + spanId, spanId, TraceFlags.getSampled(), TraceState.getDefault());
    return Context.root().with(Span.wrap(spanContext));
  }

  static String spanId(Context context) {
    return Span.fromContext(context).getSpanContext().getSpanId();
  }
}
