package dev.threadline.sdk.propagation;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;

/**
 * A parsed {@code traceparent} value: {@code version "-" trace-id "-" parent-id "-" trace-flags},
 * lower-case hex, with the rules for versions other than {@code 00}.
 */
final class Traceparent {
  private static final int VERSION_00_LENGTH = 55;
  private static final int TRACE_ID_OFFSET = 3;
  private static final int SPAN_ID_OFFSET = 36;
  private static final int FLAGS_OFFSET = 53;

  /** Flags this version of the specification defines (sampled, random trace id); others are 0. */
  private static final int KNOWN_FLAGS = 0x03;

  private final String traceId;
  private final String spanId;
  private final TraceFlags flags;

  private Traceparent(String traceId, String spanId, TraceFlags flags) {
    this.traceId = traceId;
    this.spanId = spanId;
    this.flags = flags;
  }

  String traceId() {
    return traceId;
  }

  String spanId() {
    return spanId;
  }

  TraceFlags flags() {
    return flags;
  }

  /**
   * Parses one {@code traceparent} field value (optional whitespace around it is allowed); {@code
   * null} when it is invalid.
   */
  static Traceparent parse(String field) {
    if (field == null) {
      return null;
    }
    String value = Ows.trim(field);
    if (value.length() < VERSION_00_LENGTH
        || !isLowerHex(value, 0, 2)
        || value.charAt(2) != '-'
        || value.startsWith("ff")) {
      return null;
    }
    boolean version00 = value.startsWith("00");
    if (version00 ? value.length() != VERSION_00_LENGTH : !futureVersionEnds(value)) {
      return null;
    }
    if (!isLowerHex(value, TRACE_ID_OFFSET, 32)
        || value.charAt(SPAN_ID_OFFSET - 1) != '-'
        || !isLowerHex(value, SPAN_ID_OFFSET, 16)
        || value.charAt(FLAGS_OFFSET - 1) != '-'
        || !isLowerHex(value, FLAGS_OFFSET, 2)) {
      return null;
    }
    String traceId = value.substring(TRACE_ID_OFFSET, TRACE_ID_OFFSET + 32);
    String spanId = value.substring(SPAN_ID_OFFSET, SPAN_ID_OFFSET + 16);
    if (isZero(traceId) || isZero(spanId)) {
      return null;
    }
    int flags = Integer.parseInt(value.substring(FLAGS_OFFSET, FLAGS_OFFSET + 2), 16);
    return new Traceparent(traceId, spanId, TraceFlags.fromByte((byte) (flags & KNOWN_FLAGS)));
  }

  /** A higher version may append fields after the four of version 00, each after a dash. */
  private static boolean futureVersionEnds(String value) {
    return value.length() == VERSION_00_LENGTH || value.charAt(VERSION_00_LENGTH) == '-';
  }

  /** The {@code traceparent} of version 00 for {@code context}. */
  static String format(SpanContext context) {
    int flags = context.getTraceFlags().asByte() & KNOWN_FLAGS;
    return "00-"
        + context.getTraceId()
        + "-"
        + context.getSpanId()
        + "-"
        + Character.forDigit(flags >> 4, 16)
        + Character.forDigit(flags & 0xf, 16);
  }

  private static boolean isLowerHex(String value, int from, int length) {
    for (int i = from; i < from + length; i++) {
      char c = value.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isZero(String hex) {
    for (int i = 0; i < hex.length(); i++) {
      if (hex.charAt(i) != '0') {
        return false;
      }
    }
    return true;
  }
}
