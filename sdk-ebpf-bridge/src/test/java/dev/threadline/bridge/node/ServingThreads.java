package dev.threadline.bridge.node;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;

/**
 * Heap bytes allocated by the node's request threads ({@code threadline-node-http-N}), as the JVM
 * counts them: a measure of what serving a request cost that does not rest on the node's own
 * estimates.
 */
final class ServingThreads {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private final Map<Long, Long> start;

  private ServingThreads(Map<Long, Long> start) {
    this.start = start;
  }

  /** Starts counting from what every request thread has allocated so far. */
  static ServingThreads count() {
    return new ServingThreads(allocatedByThread());
  }

  /**
   * What the request threads allocated since {@link #count()}; a thread started since counts from
   * zero (which can only over-count), one that ended is left out (pool threads live as long as
   * their node).
   */
  long allocatedSince() {
    long total = 0;
    for (Map.Entry<Long, Long> now : allocatedByThread().entrySet()) {
      total += now.getValue() - start.getOrDefault(now.getKey(), 0L);
    }
    return total;
  }

  private static Map<Long, Long> allocatedByThread() {
    Map<Long, Long> allocated = new HashMap<>();
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.getName().startsWith("threadline-node-http-")) {
        long bytes = THREADS.getThreadAllocatedBytes(thread.getId());
        if (bytes < 0) {
          throw new IllegalStateException("thread allocation accounting is not available");
        }
        allocated.put(thread.getId(), bytes);
      }
    }
    return allocated;
  }
}
