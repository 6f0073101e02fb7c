package dev.threadline.sdk.metrics;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Admits at most {@code maxRoutes} distinct routes; every later route is folded into {@link
 * #OVERFLOW_ROUTE}.
 *
 * <p>A route template is low-cardinality by design, but a misbehaving framework (or a client
 * falling back to host names) can turn raw paths into "routes". Without a cap every such value
 * would become a histogram with dozens of buckets in the registry, forever. Routes already admitted
 * keep being recorded under their own name.
 */
final class RouteLimiter {

  /** Route tag value for spans whose route was not admitted. */
  static final String OVERFLOW_ROUTE = "OTHER";

  private final int maxRoutes;
  private final Set<String> admitted = ConcurrentHashMap.newKeySet();
  // Counted separately from the set: reserving a slot before adding keeps the cap exact under
  // contention.
  private final AtomicInteger reserved = new AtomicInteger();

  RouteLimiter(int maxRoutes) {
    this.maxRoutes = maxRoutes;
  }

  /** Whether {@code route} is admitted, admitting it if there is still room. */
  boolean tryAdmit(String route) {
    if (admitted.contains(route)) {
      return true;
    }
    // Plain read first so that, once full, the overflow path does no atomic writes.
    if (reserved.get() >= maxRoutes) {
      return false;
    }
    if (reserved.incrementAndGet() > maxRoutes) {
      reserved.decrementAndGet();
      // The last slot may have just gone to this very route on another thread.
      return admitted.contains(route);
    }
    if (!admitted.add(route)) {
      // Another thread admitted the same route concurrently: give the slot back.
      reserved.decrementAndGet();
    }
    return true;
  }

  int admittedCount() {
    return admitted.size();
  }
}
