package dev.threadline.bridge.correlate;

import dev.threadline.bridge.node.store.SpanRecord;
import dev.threadline.bridge.node.store.TraceStore;
import dev.threadline.bridge.span.SSpan;
import dev.threadline.sdk.export.UrlRedaction;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Joins S spans with each other and with the A spans in the node's store, so that one request is
 * one trace from the gateway's socket down (DESIGN.md, "How spans join").
 *
 * <p>Each S span is stored at once, where the evidence it carries puts it, and then waits in a
 * bounded area for the rest of its join window: its peer on the other end of the wire, the gateway
 * request it proxies, the A spans its stamps and headers name (batch exporters send those seconds
 * later). A join made later re-parents the span in the store and merges its trace into the
 * application trace; the old trace id stays resolvable. When the window passes the span is
 * <em>settled</em> (handed to the forwarder with its final trace and parent), and counted as
 * unjoined if nothing joined it.
 *
 * <p>Thread-safe: one lock. {@link #accept} runs on the kernel side's consumer thread, {@link
 * #sweep} on a timer.
 */
public final class Correlator {
  /** How long an S span waits for evidence by default: longer than a batch exporter's delay. */
  public static final Duration DEFAULT_JOIN_WINDOW = Duration.ofSeconds(15);

  /** S spans waiting at most, by default; beyond, the oldest settle early (counted). */
  public static final int DEFAULT_MAX_WAITING = 100_000;

  /** How long a c-p with no evidence of its own waits for a stronger rule before adjacency. */
  static final long WEAK_GRACE_MILLIS = 1_000;

  private final StoreJoins joins;
  private final CorrelatorMetrics metrics;
  private final LongSupplier monotonicToEpochNanos;
  private final LongSupplier clockMillis;
  private final long windowMillis;
  private final int maxWaiting;
  private final Consumer<List<SpanRecord>> settled;
  private final SpanIds ids = new SpanIds(new SecureRandom().nextLong());
  private final ProcessNames names;
  private final ProxyMatcher proxies;
  private final PendingJoins pendingJoins;
  private final UrlRedaction redaction;

  /** Arrival order is expiry order. */
  private final LinkedHashMap<String, SNode> waiting = new LinkedHashMap<>();

  private final Map<SNode.WireKey, SNode> bySeq = new HashMap<>();
  private final Map<String, SNode> clientsByRequestId = new HashMap<>();

  /** Unjoined c-ps with no evidence of their own: the weak rules get them after a grace period. */
  private final LinkedHashMap<SNode, Long> weak = new LinkedHashMap<>();

  private final ThreadAdjacency threads;

  private Correlator(Builder b) {
    this.metrics = b.metrics;
    this.monotonicToEpochNanos = b.monotonicToEpochNanos;
    this.joins = new StoreJoins(b.store, b.metrics);
    this.clockMillis = b.clockMillis;
    this.windowMillis = b.joinWindow.toMillis();
    this.maxWaiting = b.maxWaiting;
    this.settled = b.settled;
    this.names = new ProcessNames(b.proc);
    this.proxies = new ProxyMatcher(joins);
    this.pendingJoins = new PendingJoins(joins, metrics);
    this.redaction = b.redaction;
    this.threads = new ThreadAdjacency(joins);
  }

  /** A correlator writing into {@code store}. */
  public static Builder builder(TraceStore store, CorrelatorMetrics metrics) {
    return new Builder(store, metrics);
  }

  /** Joins one S span (its times on CLOCK_MONOTONIC) as far as the evidence so far allows. */
  public synchronized void accept(SSpan s) {
    metrics.received();
    long now = clockMillis.getAsLong();
    SNode node =
        new SNode(
            s,
            ids.spanId(s),
            names.of(s.pid(), s.comm()),
            monotonicToEpochNanos.getAsLong(),
            now + windowMillis,
            redaction);
    if (waiting.containsKey(node.spanId)) {
      return; // the same exchange twice
    }
    node.traceId = ids.derivedTraceId(s);
    if (node.client()) {
      acceptClient(node);
    } else {
      acceptServer(node);
    }
    waiting.put(node.spanId, node);
    settle(now);
  }

  private void acceptClient(SNode c) {
    if (c.propagated != null) {
      c.place(c.propagated.traceId(), c.propagated.spanId(), c.propagated.rule(), false);
    } else {
      joins.derived(c.traceId);
      if (c.span.requestStamp() != null) {
        c.expect(
            SNode.Pending.STAMP_PARENT,
            c.span.requestStamp().traceId(),
            c.span.requestStamp().spanId());
      }
    }
    joins.write(c);
    if (c.rule != null) {
      metrics.joined(c.rule);
    }
    SNode server = bySeq.get(c.wireKey());
    if (server != null && !server.client()) {
      bySeq.remove(c.wireKey());
      joins.attach(server, c.traceId, c.spanId, JoinRule.TCP_SEQ, false);
      c.hasChild = true;
    } else {
      bySeq.put(c.wireKey(), c);
    }
    if (c.requestId != null) {
      clientsByRequestId.put(c.requestId, c);
    }
    if (c.span.requestStamp() == null) {
      proxies.addClient(c);
      if (c.propagated == null) {
        weak.put(c, clockMillis.getAsLong() + WEAK_GRACE_MILLIS);
      }
    }
    pendingJoins.track(c);
  }

  private void acceptServer(SNode s) {
    SNode client = bySeq.get(s.wireKey());
    SNode byId = s.requestId == null ? null : clientsByRequestId.get(s.requestId);
    if (client != null && client.client()) {
      bySeq.remove(s.wireKey());
      s.place(client.traceId, client.spanId, JoinRule.TCP_SEQ, false);
      client.hasChild = true;
    } else if (byId != null && byId.span.pid() != s.span.pid() && !byId.hasChild) {
      s.place(byId.traceId, byId.spanId, JoinRule.REQUEST_ID, false);
      byId.hasChild = true;
    } else if (s.propagated != null) {
      s.place(s.propagated.traceId(), s.propagated.spanId(), s.propagated.rule(), false);
    } else {
      joins.derived(s.traceId);
    }
    if (s.rule != JoinRule.TCP_SEQ) {
      bySeq.put(s.wireKey(), s); // its c-p may come later
    }
    s.traceId = joins.store().canonicalTraceId(s.traceId);
    joins.write(s);
    if (s.rule != null) {
      metrics.joined(s.rule);
    }
    if (s.span.responseStamp() != null) {
      s.expect(
          SNode.Pending.STAMP_CHILD,
          s.span.responseStamp().traceId(),
          s.span.responseStamp().spanId());
    } else if (s.propagated != null) {
      s.expect(SNode.Pending.PROPAGATED_CHILD, s.propagated.traceId(), s.propagated.spanId());
    }
    proxies.matchServer(s);
    threads.addServer(s);
    pendingJoins.track(s);
  }

  /**
   * Makes the joins whose A spans have arrived since, and settles the S spans whose window has
   * passed. Called on a timer (a few times a second).
   */
  public synchronized void sweep() {
    pendingJoins.resolve();
    long now = clockMillis.getAsLong();
    tryWeakRules(now);
    settle(now);
  }

  /** Same-thread adjacency for c-ps that nothing stronger joined within the grace period. */
  private void tryWeakRules(long nowMillis) {
    for (Iterator<Map.Entry<SNode, Long>> it = weak.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<SNode, Long> entry = it.next();
      SNode c = entry.getKey();
      if (!c.parentSpanId.isEmpty()) {
        it.remove();
      } else if (entry.getValue() <= nowMillis) {
        it.remove();
        threads.adjacent(c);
      } else {
        break; // in arrival order: the rest are younger
      }
    }
  }

  /** Settles every waiting S span now (at shutdown). */
  public synchronized void flush() {
    pendingJoins.resolve();
    tryWeakRules(Long.MAX_VALUE);
    settle(Long.MAX_VALUE);
  }

  /** S spans inside their join window now. */
  public synchronized int waiting() {
    return waiting.size();
  }

  private void settle(long nowMillis) {
    List<SpanRecord> done = new ArrayList<>();
    Iterator<SNode> oldestFirst = waiting.values().iterator();
    while (oldestFirst.hasNext()) {
      SNode node = oldestFirst.next();
      boolean expired = node.expiresAtMillis <= nowMillis;
      if (!expired && waiting.size() <= maxWaiting) {
        break;
      }
      oldestFirst.remove();
      if (!expired) {
        metrics.evicted();
      }
      forget(node);
      if (node.rule == JoinRule.ADJACENCY) {
        threads.contain(node); // the A spans have had the whole window to arrive
      }
      if (!node.joined()) {
        metrics.unjoined();
      }
      node.traceId = joins.store().canonicalTraceId(node.traceId);
      done.add(node.record());
    }
    if (!done.isEmpty()) {
      settled.accept(done);
    }
  }

  private void forget(SNode node) {
    bySeq.remove(node.wireKey(), node);
    if (node.requestId != null) {
      clientsByRequestId.remove(node.requestId, node);
    }
    proxies.remove(node);
    threads.remove(node);
    weak.remove(node);
    pendingJoins.forget(node);
  }

  /** Configures a {@link Correlator}. */
  public static final class Builder {
    private final TraceStore store;
    private final CorrelatorMetrics metrics;
    private LongSupplier monotonicToEpochNanos = () -> 0L;
    private LongSupplier clockMillis = System::currentTimeMillis;
    private Duration joinWindow = DEFAULT_JOIN_WINDOW;
    private int maxWaiting = DEFAULT_MAX_WAITING;
    private Consumer<List<SpanRecord>> settled = spans -> {};
    private Path proc = Path.of("/proc");
    private UrlRedaction redaction = UrlRedaction.defaults();

    private Builder(TraceStore store, CorrelatorMetrics metrics) {
      this.store = Objects.requireNonNull(store, "store");
      this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    /** Added to the S spans' CLOCK_MONOTONIC times to get epoch nanoseconds, fixed. */
    public Builder clockOffset(long monotonicToEpochNanos) {
      return clockOffset(() -> monotonicToEpochNanos);
    }

    /**
     * Read as each S span arrives and added to its CLOCK_MONOTONIC times to get epoch nanoseconds.
     * The wall clock the SDKs time their spans on can be stepped or slewed while the node runs;
     * {@link dev.threadline.bridge.span.WallClockOffset} follows it.
     */
    public Builder clockOffset(LongSupplier monotonicToEpochNanos) {
      this.monotonicToEpochNanos = Objects.requireNonNull(monotonicToEpochNanos);
      return this;
    }

    /** The wall clock the join window is measured on (tests pass their own). */
    public Builder clock(LongSupplier epochMillis) {
      this.clockMillis = Objects.requireNonNull(epochMillis);
      return this;
    }

    public Builder joinWindow(Duration window) {
      if (window.isNegative() || window.isZero()) {
        throw new IllegalArgumentException("join window must be positive, was " + window);
      }
      this.joinWindow = window;
      return this;
    }

    public Builder maxWaiting(int spans) {
      if (spans < 1) {
        throw new IllegalArgumentException("max waiting must be positive, was " + spans);
      }
      this.maxWaiting = spans;
      return this;
    }

    /** Told of S spans whose window has passed, with their final trace and parent. */
    public Builder onSettled(Consumer<List<SpanRecord>> sink) {
      this.settled = Objects.requireNonNull(sink);
      return this;
    }

    /** Where process names are read from (/proc). */
    public Builder proc(Path dir) {
      this.proc = Objects.requireNonNull(dir);
      return this;
    }

    /** Which query parameters of captured requests are redacted. */
    public Builder urlRedaction(UrlRedaction urlRedaction) {
      this.redaction = Objects.requireNonNull(urlRedaction);
      return this;
    }

    public Correlator build() {
      return new Correlator(this);
    }
  }
}
