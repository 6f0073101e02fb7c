package dev.threadline.bridge.span;

import dev.threadline.bridge.decode.Direction;
import dev.threadline.bridge.decode.SocketEvent;
import dev.threadline.bridge.decode.ThreadStamp;

/**
 * An exchange on a non-HTTP stream: a run of bytes in one direction (the "request") followed by a
 * run in the other (the "response"). It ends when the first direction speaks again or the socket
 * closes, which matches request/response protocols without knowing them.
 */
final class L4Exchange {
  private final Direction first;
  private final long startNanos;
  private final int startTid;
  private final String comm;
  private final long requestSeq;
  private final ThreadStamp requestStamp;
  private ThreadStamp responseStamp;
  private long requestBytes;
  private long responseSeq = -1;
  private long responseBytes;
  private long endNanos;
  private int endTid;

  L4Exchange(SocketEvent e) {
    this.first = e.direction();
    this.startNanos = e.nanos();
    this.startTid = e.tid();
    this.comm = e.comm();
    this.requestSeq = e.seq();
    this.requestStamp = e.stamp();
    add(e);
  }

  /** False when {@code e} starts the next exchange. */
  boolean accepts(SocketEvent e) {
    return e.direction() != first || responseBytes == 0;
  }

  void add(SocketEvent e) {
    if (e.direction() == first) {
      requestBytes += e.bytes();
    } else {
      if (responseSeq < 0) {
        responseSeq = e.seq();
        responseStamp = e.stamp();
      }
      responseBytes += e.bytes();
    }
    endNanos = e.nanos();
    endTid = e.tid();
  }

  SSpan toSpan(Connection identity, SpanKind role) {
    SpanKind kind =
        role != null ? role : first == Direction.EGRESS ? SpanKind.CLIENT : SpanKind.SERVER;
    return new SSpan(
        kind,
        "l4",
        identity.pid(),
        comm,
        identity.fd(),
        identity.sockId(),
        identity.local(),
        identity.remote(),
        startNanos,
        endNanos,
        startTid,
        endTid,
        requestBytes,
        responseBytes,
        requestSeq,
        responseSeq,
        null,
        null,
        requestStamp,
        responseStamp);
  }
}
