package dev.threadline.bridge.span;

import dev.threadline.bridge.decode.SocketEvent;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Turns the decoded event stream into S spans, one {@link SocketTracker} per socket end.
 * Not thread-safe: it runs on the ring-buffer consumer thread.
 */
public final class SpanAssembler implements Consumer<SocketEvent> {
    /** Sockets whose close was never seen (process killed) are evicted oldest first. */
    private static final int MAX_SOCKETS = 65_536;

    private final Consumer<SSpan> sink;
    private final Map<SocketKey, SocketTracker> sockets = new LinkedHashMap<>(1024, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<SocketKey, SocketTracker> eldest) {
            return size() > MAX_SOCKETS;
        }
    };

    /** Spans are handed to {@code sink} as soon as their response completes. */
    public SpanAssembler(Consumer<SSpan> sink) {
        this.sink = sink;
    }

    @Override
    public void accept(SocketEvent e) {
        SocketKey key = new SocketKey(e.pid(), e.sockId());
        switch (e.type()) {
            case ACCEPT:
                replace(key, new SocketTracker(e, SpanKind.SERVER, sink));
                break;
            case CONNECT:
                replace(key, new SocketTracker(e, SpanKind.CLIENT, sink));
                break;
            case CLOSE: {
                SocketTracker tracker = sockets.remove(key);
                if (tracker != null) {
                    tracker.close(e.exitNanos());
                }
                break;
            }
            case DATA:
                sockets.computeIfAbsent(key, k -> new SocketTracker(e, null, sink)).data(e);
                break;
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

    private void replace(SocketKey key, SocketTracker tracker) {
        // A new accept/connect on a known socket address means the old connection ended unseen.
        SocketTracker old = sockets.put(key, tracker);
        if (old != null) {
            old.close(tracker.startNanos());
        }
    }
}
