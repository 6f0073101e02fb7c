package dev.threadline.bridge.span;

import dev.threadline.bridge.decode.Direction;
import dev.threadline.bridge.decode.SocketEvent;
import dev.threadline.bridge.http.HttpMessage;
import dev.threadline.bridge.http.HttpStreamParser;
import dev.threadline.bridge.http.MessageStart;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * Pairs requests with responses on one socket end. Requests are queued in order and each final
 * response answers the oldest one, which is how HTTP/1.1 keep-alive and pipelining work. A stream
 * that is not HTTP falls back to {@link L4Exchange}s.
 *
 * <p>The socket's first data event names it in the spans (process, fd, endpoints): lifecycle events
 * only tell its role, and may come from the TCP stack outside any process.
 */
final class SocketTracker {
  private final Consumer<SSpan> sink;

  /**
   * Made with the first data: many sockets the TCP stack reports (accepted for other processes)
   * never get any.
   */
  private HttpStreamParser egress;

  private HttpStreamParser ingress;
  private final ArrayDeque<PendingRequest> requests = new ArrayDeque<>();
  private final PendingRequest[] inFlight = new PendingRequest[2];
  private Connection identity;
  private SpanKind role;
  private boolean http;
  private boolean l4;
  private L4Exchange exchange;

  /**
   * @param role known from the connection's opening, or null to infer it from the first request
   */
  SocketTracker(SpanKind role, Consumer<SSpan> sink) {
    this.role = role;
    this.sink = sink;
  }

  void data(SocketEvent e) {
    if (identity == null) {
      identity = Connection.of(e);
      egress = new HttpStreamParser(new Listener(Direction.EGRESS), this::nextRequestMethod);
      ingress = new HttpStreamParser(new Listener(Direction.INGRESS), this::nextRequestMethod);
    }
    if (l4) {
      l4(e);
      return;
    }
    boolean sent = e.direction() == Direction.EGRESS;
    (sent ? ingress : egress).expectFrom(e.peerSeq());
    (sent ? egress : ingress).feed(e);
  }

  /**
   * The connection is gone (or tracing stops) at {@code nanos}: flush close-delimited responses and
   * L4 exchanges, and report requests that got no response (reset, timeout) as spans without a
   * response that end at the close.
   */
  void close(long nanos) {
    if (identity == null) {
      return; // no data ever: nothing to report
    }
    egress.close();
    ingress.close();
    if (exchange != null) {
      sink.accept(exchange.toSpan(identity, role));
      exchange = null;
    }
    for (PendingRequest request : requests) {
      unanswered(request, Math.max(nanos, request.endNanos));
    }
    requests.clear();
  }

  /** A request that got no response (none seen): a span without one, ending at {@code endNanos}. */
  private void unanswered(PendingRequest request, long endNanos) {
    sink.accept(httpSpan(request, endNanos, request.start.tid(), null, null, 0));
  }

  /**
   * The span of {@code request}, answered by {@code response} (starting at {@code responseStart},
   * {@code responseBytes} long) or, with both null, unanswered.
   */
  private SSpan httpSpan(
      PendingRequest request,
      long endNanos,
      int endTid,
      HttpMessage response,
      MessageStart responseStart,
      long responseBytes) {
    return new SSpan(
        role != null ? role : SpanKind.CLIENT,
        "http",
        identity.pid(),
        request.start.comm(),
        identity.fd(),
        identity.sockId(),
        identity.local(),
        identity.remote(),
        request.start.nanos(),
        endNanos,
        request.start.tid(),
        endTid,
        request.bytes,
        responseBytes,
        request.start.seq(),
        responseStart == null ? -1 : responseStart.seq(),
        request.head,
        response,
        request.start.stamp(),
        responseStart == null ? null : responseStart.stamp());
  }

  private String nextRequestMethod() {
    PendingRequest oldest = requests.peekFirst();
    return oldest == null ? null : oldest.head.method();
  }

  private void l4(SocketEvent e) {
    if (exchange != null && !exchange.accepts(e)) {
      sink.accept(exchange.toSpan(identity, role));
      exchange = null;
    }
    if (exchange == null) {
      exchange = new L4Exchange(e);
    } else {
      exchange.add(e);
    }
  }

  /**
   * Calls in {@code direction} were lost. When they were responses, the requests they answered are
   * still queued and would take the responses that follow: every queued request but the newest
   * (which the next response answers, requests being sent one at a time) is reported without a
   * response.
   */
  private void responsesLost(Direction direction) {
    if (role == null || direction != responseDirection()) {
      return;
    }
    while (requests.size() > 1) {
      PendingRequest request = requests.pollFirst();
      unanswered(request, Math.max(request.start.nanos(), request.endNanos));
    }
  }

  /**
   * A message started in {@code direction} that could not be read. A response answers the oldest
   * request, which is reported without one: left queued, it would take the next response and every
   * later request would be paired one response late.
   */
  private void responseUnreadable(Direction direction, long nanos) {
    if (!http || role == null || direction != responseDirection()) {
      return;
    }
    PendingRequest request = requests.pollFirst();
    if (request != null) {
      unanswered(request, Math.max(nanos, request.endNanos));
    }
  }

  private Direction responseDirection() {
    return role == SpanKind.SERVER ? Direction.EGRESS : Direction.INGRESS;
  }

  private void onRequestHead(Direction direction, HttpMessage head, MessageStart start) {
    http = true;
    if (role == null) {
      role = direction == Direction.EGRESS ? SpanKind.CLIENT : SpanKind.SERVER;
    }
    PendingRequest request = new PendingRequest(head, start);
    requests.addLast(request);
    inFlight[direction.ordinal()] = request;
  }

  private void onRequestComplete(Direction direction, long endNanos, long bytes) {
    PendingRequest request = inFlight[direction.ordinal()];
    if (request != null) {
      request.endNanos = endNanos;
      request.bytes = bytes;
      inFlight[direction.ordinal()] = null;
    }
  }

  private void onResponseComplete(
      HttpMessage head, MessageStart start, long endNanos, int endTid, long bytes) {
    if (head.interim()) {
      return; // 100 Continue: the final response to the same request follows
    }
    PendingRequest request = requests.pollFirst();
    if (request == null) {
      return; // response to a request sent before tracing started
    }
    sink.accept(httpSpan(request, endNanos, endTid, head, start, bytes));
  }

  private final class Listener implements HttpStreamParser.Listener {
    private final Direction direction;

    Listener(Direction direction) {
      this.direction = direction;
    }

    @Override
    public void headParsed(HttpMessage head, MessageStart start) {
      if (head.request()) {
        onRequestHead(direction, head, start);
      }
    }

    @Override
    public void completed(
        HttpMessage head, MessageStart start, long endNanos, int endTid, long bytes) {
      if (head.request()) {
        onRequestComplete(direction, endNanos, bytes);
      } else {
        onResponseComplete(head, start, endNanos, endTid, bytes);
      }
    }

    @Override
    public void gap(SocketEvent next) {
      responsesLost(direction);
    }

    @Override
    public void unreadable(SocketEvent e) {
      responseUnreadable(direction, e.nanos());
    }

    @Override
    public void notHttp(SocketEvent first) {
      if (!http && !l4) {
        l4 = true;
        l4(first);
      }
    }
  }

  /** A request waiting for its response; completed in place as its body arrives. */
  private static final class PendingRequest {
    final HttpMessage head;
    final MessageStart start;
    long endNanos;
    long bytes;

    PendingRequest(HttpMessage head, MessageStart start) {
      this.head = head;
      this.start = start;
      this.bytes = head.headBytes();
    }
  }
}
