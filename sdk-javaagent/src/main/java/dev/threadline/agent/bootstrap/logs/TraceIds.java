package dev.threadline.agent.bootstrap.logs;

import dev.threadline.agent.bootstrap.Instrumentations;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import java.util.HashMap;
import java.util.Map;

/**
 * The ids of the span current on the logging thread, under the OpenTelemetry agent's MDC keys:
 * {@code trace_id}, {@code span_id} (lower-case hex) and {@code trace_flags} ({@code "01"} when
 * sampled, {@code "00"} otherwise). Nothing is added when no valid span is current.
 */
public final class TraceIds {
  public static final String TRACE_ID = "trace_id";
  public static final String SPAN_ID = "span_id";
  public static final String TRACE_FLAGS = "trace_flags";

  private TraceIds() {}

  /**
   * {@code trace_id}, {@code span_id}, {@code trace_flags} of the current span, or {@code null}
   * when there is none or {@code instrumentation} is switched off.
   */
  public static String[] current(String instrumentation) {
    if (!Instrumentations.isEnabled(instrumentation)) {
      return null;
    }
    SpanContext span = Span.current().getSpanContext();
    if (!span.isValid()) {
      return null;
    }
    return new String[] {span.getTraceId(), span.getSpanId(), span.getTraceFlags().asHex()};
  }

  /**
   * A copy of {@code mdc} (which is never changed; it may be shared between events) with the
   * current span's ids added, or {@code null} when there is nothing to add (no span, or {@code mdc}
   * has a {@code trace_id} already).
   */
  public static Map<String, String> withIds(Map<String, String> mdc, String instrumentation) {
    if (mdc != null && mdc.containsKey(TRACE_ID)) {
      return null;
    }
    String[] ids = current(instrumentation);
    if (ids == null) {
      return null;
    }
    Map<String, String> copy = mdc == null ? new HashMap<>() : new HashMap<>(mdc);
    copy.put(TRACE_ID, ids[0]);
    copy.put(SPAN_ID, ids[1]);
    copy.put(TRACE_FLAGS, ids[2]);
    return copy;
  }
}
