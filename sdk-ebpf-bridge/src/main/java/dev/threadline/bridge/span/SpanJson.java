package dev.threadline.bridge.span;

/**
 * One S span as one line of JSON (the CLI's output format; fields in docs/ebpf-bridge.md). Absent
 * values (no HTTP, no trace header) are omitted rather than written as null.
 */
public final class SpanJson {
  private final long monotonicToUnixNanos;
  private final long socketSalt = new java.security.SecureRandom().nextLong();

  /**
   * @param monotonicToUnixNanos added to CLOCK_MONOTONIC times to get Unix epoch nanoseconds
   */
  public SpanJson(long monotonicToUnixNanos) {
    this.monotonicToUnixNanos = monotonicToUnixNanos;
  }

  /**
   * The socket identity as printed: a salted mix of the kernel address, stable for this run.
   * Printing the address itself would hand out kernel pointers, which KASLR keeps secret.
   */
  String socketLabel(long sockId) {
    long x = sockId ^ socketSalt;
    x = (x ^ (x >>> 33)) * 0xff51afd7ed558ccdL;
    x = (x ^ (x >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return String.format("%016x", x ^ (x >>> 33));
  }

  /** Offset between the wall clock and CLOCK_MONOTONIC (System.nanoTime) right now. */
  public static long currentClockOffset() {
    return System.currentTimeMillis() * 1_000_000L - System.nanoTime();
  }

  public String toJson(SSpan s) {
    StringBuilder b = new StringBuilder(512).append('{');
    str(b, "kind", s.kind().code());
    str(b, "protocol", s.protocol());
    num(b, "pid", s.pid());
    str(b, "comm", s.comm());
    num(b, "fd", s.fd());
    str(b, "socket", socketLabel(s.socketId()));
    str(b, "local", s.local().toString());
    str(b, "remote", s.remote().toString());
    num(b, "start_unix_nano", s.startNanos() + monotonicToUnixNanos);
    num(b, "end_unix_nano", s.endNanos() + monotonicToUnixNanos);
    num(b, "duration_ns", s.endNanos() - s.startNanos());
    num(b, "request_tid", s.requestTid());
    num(b, "response_tid", s.responseTid());
    num(b, "request_bytes", s.requestBytes());
    num(b, "response_bytes", s.responseBytes());
    num(b, "request_seq", s.requestSeq());
    num(b, "response_seq", s.responseSeq());
    if (s.request() != null) {
      str(b, "method", s.method());
      str(b, "path", s.path());
      str(b, "traceparent", s.request().traceparent());
      str(b, "b3", s.request().b3());
      str(b, "uber_trace_id", s.request().uberTraceId());
      str(b, "x_request_id", s.request().requestId());
      if (s.request().truncated()) {
        b.append("\"request_truncated\":true,");
      }
    }
    if (s.response() != null) {
      num(b, "status", s.status());
    }
    b.setLength(b.length() - 1);
    return b.append('}').toString();
  }

  private static void num(StringBuilder b, String name, long value) {
    b.append('"').append(name).append("\":").append(value).append(',');
  }

  private static void str(StringBuilder b, String name, String value) {
    if (value == null) {
      return;
    }
    b.append('"').append(name).append("\":\"");
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"':
          b.append("\\\"");
          break;
        case '\\':
          b.append("\\\\");
          break;
        case '\n':
          b.append("\\n");
          break;
        case '\r':
          b.append("\\r");
          break;
        case '\t':
          b.append("\\t");
          break;
        default:
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
      }
    }
    b.append("\",");
  }
}
