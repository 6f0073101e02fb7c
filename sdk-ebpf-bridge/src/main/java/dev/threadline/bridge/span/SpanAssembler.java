package dev.threadline.bridge.span;

import dev.threadline.bridge.decode.SocketEvent;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Turns the decoded event stream into S spans, one {@link SocketTracker} per socket end, keyed by
 * the kernel's socket identity: one TCP stream even when several processes share the socket. Not
 * thread-safe: it runs on the ring-buffer consumer thread.
 */
public final class SpanAssembler implements Consumer<SocketEvent> {
  /** Sockets whose end was never seen (tracing stopped, an event lost) are evicted oldest first. */
  private static final int MAX_SOCKETS = 65_536;

  private final Consumer<SSpan> sink;
  private final Map<Long, SocketTracker> sockets =
      new LinkedHashMap<>(1024, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, SocketTracker> eldest) {
          return size() > MAX_SOCKETS;
        }
      };

  /** Spans are handed to {@code sink} as soon as their response completes. */
  public SpanAssembler(Consumer<SSpan> sink) {
    this.sink = sink;
  }

  @Override
  public void accept(SocketEvent e) {
    switch (e.type()) {
      case ACCEPT:
        begin(e, SpanKind.SERVER);
        break;
      case CONNECT:
        begin(e, SpanKind.CLIENT);
        break;
      case CLOSE:
        {
          // Raised by the TCP stack, possibly for a socket of a process we do not trace: unknown
          // ones are ignored.
          SocketTracker tracker = sockets.remove(e.sockId());
          if (tracker != null) {
            tracker.close(e.nanos());
          }
          break;
        }
      case DATA:
        {
          SocketTracker tracker = sockets.get(e.sockId());
          if (tracker == null) {
            tracker = new SocketTracker(null, sink); // the connection predates tracing
            sockets.put(e.sockId(), tracker);
          }
          tracker.data(e);
          break;
        }
      default:
        break;
    }
  }

  /** Flushes every open socket (L4 exchanges, close-delimited responses); used at shutdown. */
  public void flush() {
    long now = System.nanoTime(); // the BPF timestamps' clock (CLOCK_MONOTONIC)
    for (SocketTracker tracker : sockets.values()) {
      tracker.close(now);
    }
    sockets.clear();
  }

  private void begin(SocketEvent e, SpanKind role) {
    // A new connection on a socket address still tracked means the old one ended unseen.
    SocketTracker old = sockets.put(e.sockId(), new SocketTracker(role, sink));
    if (old != null) {
      old.close(e.nanos());
    }
  }
}
