package dev.threadline.bridge.span;

import com.google.gson.stream.JsonWriter;
import dev.threadline.bridge.decode.ThreadStamp;
import dev.threadline.sdk.export.UrlRedaction;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.function.LongSupplier;

/**
 * One S span as one line of JSON (the CLI's output format; fields in docs/ebpf-bridge.md). Absent
 * values (no HTTP, no trace header) are omitted rather than written as null. Written with Gson's
 * streaming {@link JsonWriter} in HTML-safe mode: a captured path or header can hold anything. The
 * path's secrets (listed query parameters, userinfo of an absolute-form target) are redacted with
 * {@link UrlRedaction}.
 */
public final class SpanJson {
  private final LongSupplier monotonicToUnixNanos;
  private final UrlRedaction urls;
  private final long socketSalt = new java.security.SecureRandom().nextLong();

  /**
   * @param monotonicToUnixNanos added to CLOCK_MONOTONIC times to get Unix epoch nanoseconds
   */
  public SpanJson(long monotonicToUnixNanos) {
    this(monotonicToUnixNanos, UrlRedaction.defaults());
  }

  /**
   * @param monotonicToUnixNanos added to CLOCK_MONOTONIC times to get Unix epoch nanoseconds
   * @param urls the query parameters redacted in the printed {@code path}
   */
  public SpanJson(long monotonicToUnixNanos, UrlRedaction urls) {
    this(() -> monotonicToUnixNanos, urls);
  }

  /**
   * @param monotonicToUnixNanos read for each span and added to its CLOCK_MONOTONIC times to get
   *     Unix epoch nanoseconds ({@link WallClockOffset} follows the wall clock)
   * @param urls the query parameters redacted in the printed {@code path}
   */
  public SpanJson(LongSupplier monotonicToUnixNanos, UrlRedaction urls) {
    this.monotonicToUnixNanos = monotonicToUnixNanos;
    this.urls = urls;
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

  /** One line of JSON (no line breaks: every control character is escaped). */
  /** The span current on the thread that moved the message's first byte, when it published one. */
  private static void stamp(JsonWriter json, String side, ThreadStamp stamp) throws IOException {
    if (stamp != null) {
      json.name(side + "_trace_id")
          .value(stamp.traceId())
          .name(side + "_span_id")
          .value(stamp.spanId())
          .name(side + "_trace_flags")
          .value(stamp.traceFlags());
    }
  }

  public String toJson(SSpan s) {
    long offset = monotonicToUnixNanos.getAsLong();
    StringWriter text = new StringWriter(512);
    try (JsonWriter json = new JsonWriter(text)) {
      json.setHtmlSafe(true);
      json.setSerializeNulls(false); // absent values are left out
      json.beginObject()
          .name("kind")
          .value(s.kind().code())
          .name("protocol")
          .value(s.protocol())
          .name("pid")
          .value(s.pid())
          .name("comm")
          .value(s.comm())
          .name("fd")
          .value(s.fd())
          .name("socket")
          .value(socketLabel(s.socketId()))
          .name("local")
          .value(s.local().toString())
          .name("remote")
          .value(s.remote().toString())
          .name("start_unix_nano")
          .value(s.startNanos() + offset)
          .name("end_unix_nano")
          .value(s.endNanos() + offset)
          .name("duration_ns")
          .value(s.endNanos() - s.startNanos())
          .name("request_tid")
          .value(s.requestTid())
          .name("response_tid")
          .value(s.responseTid())
          .name("request_bytes")
          .value(s.requestBytes())
          .name("response_bytes")
          .value(s.responseBytes())
          .name("request_seq")
          .value(s.requestSeq())
          .name("response_seq")
          .value(s.responseSeq());
      if (s.request() != null) {
        json.name("method")
            .value(s.method())
            .name("path")
            .value(urls.redactTarget(s.path()))
            .name("traceparent")
            .value(s.request().traceparent())
            .name("b3")
            .value(s.request().b3())
            .name("uber_trace_id")
            .value(s.request().uberTraceId())
            .name("x_request_id")
            .value(s.request().requestId());
        if (s.request().truncated()) {
          json.name("request_truncated").value(true);
        }
      }
      if (s.response() != null) {
        json.name("status").value(s.status());
      }
      stamp(json, "request", s.requestStamp());
      stamp(json, "response", s.responseStamp());
      json.endObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    return text.toString();
  }
}
