package dev.threadline.bridge.http;

import java.util.Locale;
import java.util.Map;

/**
 * The head of one HTTP/1.x message: start line and headers (names lower-cased, repeated headers
 * joined with ", ").
 *
 * @param request true for a request, false for a response
 * @param method request method, or null for a response
 * @param target request target (path and query), or null for a response
 * @param version "HTTP/1.1" or "HTTP/1.0"
 * @param status response status code, or 0 for a request
 * @param headers header fields in arrival order (an immutable map)
 * @param headBytes length of the head including the blank line (for a truncated head: the captured
 *     part that was parsed)
 * @param truncated the head was longer than the bytes captured from its syscall: headers past them
 *     are missing, and the message was taken to end with that syscall
 */
public record HttpMessage(
    boolean request,
    String method,
    String target,
    String version,
    int status,
    Map<String, String> headers,
    int headBytes,
    boolean truncated) {

  public HttpMessage {
    // The parser hands over its own immutable map; anything else is copied.
    headers = headers instanceof HeaderMap ? headers : HeaderMap.copyOf(headers);
  }

  /** Header value by case-insensitive name, or null. */
  public String header(String name) {
    return headers.get(name.toLowerCase(Locale.ROOT));
  }

  /** W3C trace context header, or null. */
  public String traceparent() {
    return header("traceparent");
  }

  /**
   * B3 single header, or the multi-header X-B3-TraceId/X-B3-SpanId pair joined as "trace-span", or
   * null.
   */
  public String b3() {
    String single = header("b3");
    if (single != null) {
      return single;
    }
    String trace = header("x-b3-traceid");
    String span = header("x-b3-spanid");
    return trace == null ? null : span == null ? trace : trace + "-" + span;
  }

  /** Jaeger propagation header, or null. */
  public String uberTraceId() {
    return header("uber-trace-id");
  }

  /** X-Request-Id (nginx/Kong request correlation), or null. */
  public String requestId() {
    return header("x-request-id");
  }

  /** True for 1xx responses other than 101: they precede the real response to the same request. */
  public boolean interim() {
    return !request && status >= 100 && status < 200 && status != 101;
  }
}
