package dev.threadline.bridge.correlate;

import dev.threadline.bridge.node.store.SpanView;
import dev.threadline.bridge.node.store.TraceStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes joins into the store: an S span under a parent, an A span under an S span, and the trace
 * merge each join implies. Trace ids unify on the application trace: a trace the correlator minted
 * (S spans only, a "derived" trace) always moves into the application trace it joins; two
 * application traces are merged only by the strong rules, never by the weak ones. Guarded by the
 * correlator's lock.
 */
final class StoreJoins {
  /** Derived trace ids remembered (their S spans expire long before this many accumulate). */
  private static final int MAX_DERIVED = 1 << 18;

  private final TraceStore store;
  private final CorrelatorMetrics metrics;
  private final Map<String, Boolean> derived =
      new LinkedHashMap<>(1024) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
          return size() > MAX_DERIVED;
        }
      };

  StoreJoins(TraceStore store, CorrelatorMetrics metrics) {
    this.store = store;
    this.metrics = metrics;
  }

  TraceStore store() {
    return store;
  }

  /** Marks a trace id as minted here, before its first span is written. */
  void derived(String traceId) {
    derived.put(traceId, Boolean.TRUE);
  }

  /** Stores (or replaces) an S span as it stands now, in its trace's current id. */
  void write(SNode node) {
    node.traceId = store.canonicalTraceId(node.traceId);
    store.add(List.of(node.record()));
  }

  /** Hangs S span {@code child} under span {@code parentSpanId} of trace {@code parentTrace}. */
  boolean attach(
      SNode child, String parentTrace, String parentSpanId, JoinRule rule, boolean inferred) {
    String trace = unify(child.traceId, parentTrace, rule);
    if (trace == null) {
      return false;
    }
    child.traceId = trace;
    child.place(trace, parentSpanId, rule, inferred);
    write(child);
    metrics.joined(rule);
    return true;
  }

  /**
   * Hangs A span {@code child} under S span {@code parent}. When the S span has no parent yet it
   * takes the one the A span had (the caller's span the A span's sender named): the S span sits
   * between them.
   */
  boolean adopt(SNode parent, SpanView child, JoinRule rule) {
    String trace = unify(child.record().traceId(), parent.traceId, rule);
    if (trace == null) {
      return false;
    }
    String previousParent = child.parentSpanId();
    store.reparent(trace, child.record().spanId(), parent.spanId);
    parent.traceId = trace;
    parent.hasChild = true;
    if (parent.parentSpanId.isEmpty()
        && !previousParent.isEmpty()
        && !previousParent.equals(parent.spanId)) {
      parent.place(trace, previousParent, rule, false);
    }
    write(parent);
    metrics.joined(rule);
    return true;
  }

  /**
   * The one trace id two traces take when a span of {@code childTrace} joins a span of {@code
   * parentTrace}, after merging them in the store; null when the rule may not merge them.
   */
  private String unify(String childTrace, String parentTrace, JoinRule rule) {
    String child = store.canonicalTraceId(childTrace);
    String parent = store.canonicalTraceId(parentTrace);
    if (child.equals(parent)) {
      return parent;
    }
    boolean childDerived = derived.containsKey(child);
    boolean parentDerived = derived.containsKey(parent);
    if (!childDerived && !parentDerived && !rule.mayMergeApplicationTraces()) {
      metrics.conflict(rule);
      return null;
    }
    // The derived side moves; between two of a kind, the child's trace moves into its parent's.
    boolean childMoves = childDerived || !parentDerived;
    String from = childMoves ? child : parent;
    String into = childMoves ? parent : child;
    // A derived id was minted here and never sent: its spans take the id they are forwarded with.
    boolean minted = childMoves ? childDerived : parentDerived;
    if (minted ? store.mergeMinted(from, into) : store.merge(from, into)) {
      metrics.merged();
    }
    derived.remove(from);
    return into;
  }
}
