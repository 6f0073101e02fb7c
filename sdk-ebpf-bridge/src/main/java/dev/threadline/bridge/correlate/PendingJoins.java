package dev.threadline.bridge.correlate;

import dev.threadline.bridge.node.store.Origin;
import dev.threadline.bridge.node.store.SpanRecord;
import dev.threadline.bridge.node.store.SpanView;
import dev.threadline.bridge.node.store.TraceStore;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Optional;

/**
 * Joins that wait for A spans: batch exporters send them seconds after the kernel saw the bytes. A
 * stamp is only trusted once the span it names is known and was open at the event's time (rule 4);
 * propagated ids and gateway roots need the span to find it. Tried when the S span arrives and on
 * every sweep after, until made or the S span's window passes. Guarded by the correlator's lock.
 */
final class PendingJoins {
  /**
   * Slack between the kernel's clock converted to wall time and the SDK's span clock: both read
   * this host's clocks, but at different moments and through different anchors.
   */
  static final long TOLERANCE_NANOS = 5_000_000L;

  private final StoreJoins joins;
  private final CorrelatorMetrics metrics;
  private final LinkedHashSet<SNode> pending = new LinkedHashSet<>();

  PendingJoins(StoreJoins joins, CorrelatorMetrics metrics) {
    this.joins = joins;
    this.metrics = metrics;
  }

  /** Tries {@code node}'s join now; keeps it for later when its A span is not there yet. */
  void track(SNode node) {
    if (node.pending != SNode.Pending.NONE && !tryJoin(node)) {
      pending.add(node);
    }
  }

  /** Tries every waiting join again. */
  void resolve() {
    for (Iterator<SNode> it = pending.iterator(); it.hasNext(); ) {
      if (tryJoin(it.next())) {
        it.remove();
      }
    }
  }

  /** The node's window passed: its join, if still waiting, never happened. */
  void forget(SNode node) {
    if (pending.remove(node)) {
      metrics.applicationJoinExpired();
    }
  }

  int size() {
    return pending.size();
  }

  /** True when the join is done with (made, or refused for good). */
  private boolean tryJoin(SNode n) {
    TraceStore store = joins.store();
    switch (n.pending) {
      case STAMP_PARENT:
        {
          Optional<SpanView> a = store.span(n.pendingTraceId, n.pendingSpanId);
          if (a.isEmpty()) {
            return false;
          }
          if (open(a.get().record(), n.startEpochNanos)) {
            joins.attach(n, n.pendingTraceId, n.pendingSpanId, JoinRule.STAMP, false);
          } else {
            metrics.stampRejected();
          }
          break;
        }
      case STAMP_CHILD:
        {
          Optional<SpanView> a = store.span(n.pendingTraceId, n.pendingSpanId);
          if (a.isEmpty()) {
            return false;
          }
          SpanView server = serverAncestor(store, a.get());
          if (server == null) {
            return false; // the SERVER span above the stamped one is exported later
          }
          if (!overlaps(server.record(), n)) {
            metrics.stampRejected();
          } else if (!underSystemSpan(store, server)) {
            joins.adopt(n, server, JoinRule.STAMP);
          }
          break;
        }
      case PROPAGATED_CHILD:
        {
          SpanView best = null;
          for (SpanView child : store.children(n.pendingTraceId, n.pendingSpanId)) {
            SpanRecord r = child.record();
            if (r.origin() == Origin.A
                && r.kind().equals("SERVER")
                && overlaps(r, n)
                && (best == null || distance(r, n) < distance(best.record(), n))) {
              best = child;
            }
          }
          if (best == null) {
            return false;
          }
          joins.adopt(n, best, n.propagated.rule());
          break;
        }
      case ROOT_CHILD:
        {
          Optional<SpanView> a = store.span(n.pendingTraceId, n.pendingSpanId);
          if (a.isEmpty()) {
            return false;
          }
          SpanView root = topmost(store, a.get());
          if (root == null) {
            return false;
          }
          if (!underSystemSpan(store, root)) {
            joins.adopt(n, root, JoinRule.PROXY);
          }
          break;
        }
      default:
        break;
    }
    n.pending = SNode.Pending.NONE;
    return true;
  }

  /**
   * The longest parent chain walked. A sender may export spans whose parents form a cycle (a span
   * its own parent); the walk stops there rather than loop under the correlator's lock.
   */
  private static final int MAX_CHAIN = 10_000;

  /**
   * The SERVER span at or above {@code span} in its service; the topmost one when there is none.
   * Null while the chain is incomplete: a parent that is named but not stored yet (an SDK exports a
   * span when it ends, so the inner spans of a request come before its SERVER span).
   */
  private static SpanView serverAncestor(TraceStore store, SpanView span) {
    SpanView current = span;
    for (int steps = 0; !current.record().kind().equals("SERVER"); steps++) {
      SpanView parent = steps < MAX_CHAIN ? sameServiceParent(store, current) : null;
      if (parent == null) {
        return awaited(store, current) ? null : current;
      }
      current = parent;
    }
    return current;
  }

  /** The topmost span of {@code span}'s service above it; null while that is not stored yet. */
  private static SpanView topmost(TraceStore store, SpanView span) {
    SpanView current = span;
    SpanView parent;
    for (int steps = 0;
        steps < MAX_CHAIN && (parent = sameServiceParent(store, current)) != null;
        steps++) {
      current = parent;
    }
    return current.record().kind().equals("SERVER") || !awaited(store, current) ? current : null;
  }

  /** Whether {@code span} names a parent that is not in the store (yet). */
  private static boolean awaited(TraceStore store, SpanView span) {
    return !span.parentSpanId().isEmpty()
        && store.span(span.record().traceId(), span.parentSpanId()).isEmpty();
  }

  private static SpanView sameServiceParent(TraceStore store, SpanView span) {
    if (span.parentSpanId().isEmpty()) {
      return null;
    }
    SpanView parent = store.span(span.record().traceId(), span.parentSpanId()).orElse(null);
    return parent != null
            && parent.record().origin() == Origin.A
            && parent.record().service().equals(span.record().service())
        ? parent
        : null;
  }

  private static boolean underSystemSpan(TraceStore store, SpanView span) {
    return !span.parentSpanId().isEmpty()
        && store
            .span(span.record().traceId(), span.parentSpanId())
            .map(p -> p.record().origin() == Origin.S)
            .orElse(false);
  }

  private static boolean open(SpanRecord a, long epochNanos) {
    return a.startEpochNanos() - TOLERANCE_NANOS <= epochNanos
        && epochNanos <= a.endEpochNanos() + TOLERANCE_NANOS;
  }

  private static boolean overlaps(SpanRecord a, SNode n) {
    return a.startEpochNanos() - TOLERANCE_NANOS <= n.endEpochNanos
        && n.startEpochNanos <= a.endEpochNanos() + TOLERANCE_NANOS;
  }

  private static long distance(SpanRecord a, SNode n) {
    return Math.abs(a.startEpochNanos() - n.startEpochNanos);
  }
}
