package dev.threadline.bridge.correlate;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Proxy identity inside a gateway process (rule 3): a c-p whose request matches an s-p of the same
 * process, sent while that s-p was being answered, is the s-p's proxied hop. A request id the
 * gateway returns ({@code X-Kong-Request-Id}) names the hop exactly; otherwise method and target
 * must be equal, exact when one c-p matches and the oldest one, marked inferred, when several do.
 *
 * <p>A gateway's c-p completes before its s-p (the upstream answers before the client is), so c-ps
 * wait here, indexed by process and request, until an s-p claims them. Guarded by the correlator's
 * lock.
 */
final class ProxyMatcher {
  /** Slack for times taken on different calls of one thread (same clock). */
  private static final long TOLERANCE_NANOS = 1_000_000L;

  private final StoreJoins joins;
  private final Map<String, ArrayDeque<SNode>> byRequest = new HashMap<>();
  private final Map<String, ArrayDeque<SNode>> byRequestId = new HashMap<>();

  ProxyMatcher(StoreJoins joins) {
    this.joins = joins;
  }

  /** A c-p that may be some s-p's proxied hop. */
  void addClient(SNode c) {
    if (c.span.request() == null) {
      return;
    }
    byRequest.computeIfAbsent(requestKey(c), k -> new ArrayDeque<>()).addLast(c);
    if (c.requestId != null) {
      byRequestId
          .computeIfAbsent(idKey(c.span.pid(), c.requestId), k -> new ArrayDeque<>())
          .addLast(c);
    }
  }

  /** Joins the c-ps {@code s} proxied, if it is a gateway's s-p. */
  void matchServer(SNode s) {
    if (s.span.request() == null) {
      return;
    }
    String responseId = PayloadContext.requestId(s.span.response());
    if (responseId != null) {
      SNode exact = take(byRequestId.get(idKey(s.span.pid(), responseId)), s);
      if (exact != null) {
        link(exact, s, JoinRule.REQUEST_ID, false);
        return;
      }
    }
    ArrayDeque<SNode> candidates = byRequest.get(requestKey(s));
    if (candidates == null) {
      return;
    }
    int matching = 0;
    for (SNode c : candidates) {
      if (inside(c, s)) {
        matching++;
      }
    }
    if (matching > 0) {
      link(take(candidates, s), s, JoinRule.PROXY, matching > 1);
    }
  }

  /** Forgets a span whose window passed. */
  void remove(SNode node) {
    if (!node.client() || node.span.request() == null) {
      return;
    }
    drop(byRequest, requestKey(node), node);
    if (node.requestId != null) {
      drop(byRequestId, idKey(node.span.pid(), node.requestId), node);
    }
  }

  private void link(SNode c, SNode s, JoinRule rule, boolean inferred) {
    remove(c);
    if (c.propagated == null) {
      joins.attach(c, s.traceId, s.spanId, rule, inferred);
      s.hasChild = true;
    } else if (s.pending == SNode.Pending.NONE) {
      // The gateway traces itself (Kong's plugin): the c-p stays under its A span, and the s-p
      // goes above the gateway's root span instead, once that has arrived.
      s.expect(SNode.Pending.ROOT_CHILD, c.traceId, c.parentSpanId);
    }
  }

  /** The oldest candidate inside {@code s}'s time, removed from its queue; null when none. */
  private static SNode take(ArrayDeque<SNode> queue, SNode s) {
    if (queue == null) {
      return null;
    }
    for (Iterator<SNode> it = queue.iterator(); it.hasNext(); ) {
      SNode c = it.next();
      if (inside(c, s)) {
        it.remove();
        return c;
      }
    }
    return null;
  }

  private static boolean inside(SNode c, SNode s) {
    return c.startEpochNanos >= s.startEpochNanos - TOLERANCE_NANOS
        && c.endEpochNanos <= s.endEpochNanos + TOLERANCE_NANOS;
  }

  private static void drop(Map<String, ArrayDeque<SNode>> index, String key, SNode node) {
    ArrayDeque<SNode> queue = index.get(key);
    if (queue == null) {
      return;
    }
    if (queue.peekFirst() == node) {
      queue.pollFirst();
    } else {
      queue.remove(node);
    }
    if (queue.isEmpty()) {
      index.remove(key);
    }
  }

  private static String requestKey(SNode n) {
    return n.span.pid() + " " + n.span.method() + " " + n.span.path();
  }

  private static String idKey(int pid, String requestId) {
    return pid + " " + requestId;
  }
}
