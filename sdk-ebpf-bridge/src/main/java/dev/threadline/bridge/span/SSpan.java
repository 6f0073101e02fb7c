package dev.threadline.bridge.span;

import dev.threadline.bridge.decode.Endpoint;
import dev.threadline.bridge.decode.ThreadStamp;
import dev.threadline.bridge.http.HttpMessage;

/**
 * A system span: one request/response exchange on one socket, seen from one process.
 *
 * @param kind client (c-p) or server (s-p)
 * @param protocol "http" when both sides parsed as HTTP/1.x, otherwise "l4"
 * @param pid process (tgid)
 * @param comm name of the thread that moved the request's first byte
 * @param fd the process's file descriptor of the socket, or -1 when unknown
 * @param socketId kernel identity of this socket end
 * @param local this process's end
 * @param remote the peer
 * @param startNanos CLOCK_MONOTONIC when the call that moved the request's first byte returned
 * @param endNanos CLOCK_MONOTONIC when the call that moved the response's last byte returned
 *     (without a response: when the connection ended)
 * @param requestTid thread that moved the request's first byte
 * @param responseTid thread that moved the response's last byte
 * @param requestBytes request size on the wire (head and body)
 * @param responseBytes response size on the wire
 * @param requestSeq TCP seq of the request's first byte: equal on both ends of the connection
 * @param responseSeq TCP seq of the response's first byte, or -1 when there was no response
 * @param request the request head, or null for an L4 span
 * @param response the response head, or null for an L4 span or a request that got no response
 * @param requestStamp the span current on the thread that moved the request's first byte (for a
 *     c-p: the A CLIENT span that sent it), or null when that thread published none
 * @param responseStamp the span current on the thread that moved the response's first byte (for an
 *     s-p: the A SERVER span that answered), or null
 */
public record SSpan(
    SpanKind kind,
    String protocol,
    int pid,
    String comm,
    int fd,
    long socketId,
    Endpoint local,
    Endpoint remote,
    long startNanos,
    long endNanos,
    int requestTid,
    int responseTid,
    long requestBytes,
    long responseBytes,
    long requestSeq,
    long responseSeq,
    HttpMessage request,
    HttpMessage response,
    ThreadStamp requestStamp,
    ThreadStamp responseStamp) {

  /** Request method, or null. */
  public String method() {
    return request == null ? null : request.method();
  }

  /** Request target, or null. */
  public String path() {
    return request == null ? null : request.target();
  }

  /** Response status, or 0. */
  public int status() {
    return response == null ? 0 : response.status();
  }
}
