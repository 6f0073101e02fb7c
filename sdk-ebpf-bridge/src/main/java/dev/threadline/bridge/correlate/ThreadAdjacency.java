package dev.threadline.bridge.correlate;

import dev.threadline.bridge.node.store.Origin;
import dev.threadline.bridge.node.store.SpanRecord;
import dev.threadline.bridge.node.store.SpanView;
import dev.threadline.bridge.node.store.TraceSnapshot;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The two weakest rules, tried only for a c-p that nothing else joined: same-thread adjacency (rule
 * 6, DeepFlow-style: in a thread-per-request server the thread that received a request makes the
 * calls that serve it) and then containment (rule 5: within that trace, under the deepest A span of
 * the same process open for the whole exchange).
 *
 * <p>Never for event-loop processes, where one thread serves many requests interleaved: nginx and
 * Kong workers by name, and any process seen holding two requests open on one thread. Guarded by
 * the correlator's lock.
 */
final class ThreadAdjacency {
  private static final Set<String> EVENT_LOOPS = Set.of("nginx", "openresty", "kong", "envoy");
  private static final long TOLERANCE_NANOS = 1_000_000L;
  private static final int MAX_EVENT_LOOP_PROCESSES = 4096;

  private final StoreJoins joins;
  private final Map<Long, ArrayDeque<SNode>> serversByThread = new HashMap<>();

  /** Processes seen serving two requests at once on one thread; the most recent ones are kept. */
  private final Set<Integer> eventLoopPids =
      Collections.newSetFromMap(
          new LinkedHashMap<>(64, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Integer, Boolean> eldest) {
              return size() > MAX_EVENT_LOOP_PROCESSES;
            }
          });

  ThreadAdjacency(StoreJoins joins) {
    this.joins = joins;
  }

  /** An s-p whose thread may have made c-ps for it. */
  void addServer(SNode s) {
    ArrayDeque<SNode> onThread =
        serversByThread.computeIfAbsent(thread(s), k -> new ArrayDeque<>());
    for (SNode other : onThread) {
      if (other.startEpochNanos < s.endEpochNanos && s.startEpochNanos < other.endEpochNanos) {
        eventLoopPids.add(s.span.pid()); // two requests open at once on one thread
      }
    }
    onThread.addLast(s);
  }

  void remove(SNode node) {
    if (node.client()) {
      return;
    }
    ArrayDeque<SNode> onThread = serversByThread.get(thread(node));
    if (onThread != null) {
      onThread.remove(node);
      if (onThread.isEmpty()) {
        serversByThread.remove(thread(node));
      }
    }
  }

  /** Rule 6 for an unjoined c-p: under the s-p its thread was answering. */
  boolean adjacent(SNode c) {
    if (eventLoop(c)) {
      return false;
    }
    ArrayDeque<SNode> onThread = serversByThread.get(thread(c));
    if (onThread == null) {
      return false;
    }
    for (SNode s : onThread) {
      if (c.startEpochNanos >= s.startEpochNanos - TOLERANCE_NANOS
          && c.endEpochNanos <= s.endEpochNanos + TOLERANCE_NANOS) {
        if (joins.attach(c, s.traceId, s.spanId, JoinRule.ADJACENCY, true)) {
          s.hasChild = true;
          return true;
        }
        return false;
      }
    }
    return false;
  }

  /**
   * Rule 5 for a c-p joined by adjacency, once the A spans have had time to arrive: under the
   * deepest A span of its own service in its trace that was open for the whole exchange.
   */
  void contain(SNode c) {
    Optional<TraceSnapshot> trace = joins.store().get(c.traceId);
    if (trace.isEmpty()) {
      return;
    }
    Map<String, SpanView> byId = new HashMap<>();
    for (SpanView view : trace.get().spans()) {
      byId.put(view.record().spanId(), view);
    }
    SpanView deepest = null;
    int deepestDepth = -1;
    for (SpanView view : trace.get().spans()) {
      SpanRecord r = view.record();
      if (r.origin() != Origin.A
          || !r.service().equals(c.service)
          || r.startEpochNanos() > c.startEpochNanos + TOLERANCE_NANOS
          || r.endEpochNanos() < c.endEpochNanos - TOLERANCE_NANOS) {
        continue;
      }
      int depth = depth(view, byId);
      if (depth > deepestDepth) {
        deepest = view;
        deepestDepth = depth;
      }
    }
    if (deepest != null) {
      joins.attach(c, c.traceId, deepest.record().spanId(), JoinRule.CONTAINMENT, true);
    }
  }

  private boolean eventLoop(SNode n) {
    return eventLoopPids.contains(n.span.pid()) || EVENT_LOOPS.contains(n.service);
  }

  private static int depth(SpanView view, Map<String, SpanView> byId) {
    int depth = 0;
    for (SpanView p = byId.get(view.parentSpanId());
        p != null && depth < 10_000;
        p = byId.get(p.parentSpanId())) {
      depth++;
    }
    return depth;
  }

  private static long thread(SNode n) {
    return ((long) n.span.pid() << 32) | (n.span.requestTid() & 0xffffffffL);
  }
}
