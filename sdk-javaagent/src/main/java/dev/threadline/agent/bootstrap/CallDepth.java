package dev.threadline.agent.bootstrap;

/**
 * Per-thread nesting depth of instrumented calls of one kind, so that a call through a wrapper (a
 * HikariCP proxy statement around the driver's, a filter around a servlet) makes one span, not two.
 * Each kind of call owns one instance, kept by its instrumentation's bootstrap helpers (for example
 * {@code JdbcSpans.CALL_DEPTH}).
 */
public final class CallDepth {
  private final ThreadLocal<int[]> depth = ThreadLocal.withInitial(() -> new int[1]);

  /** Increments and returns the depth before the increment: 0 for the outermost call. */
  public int enter() {
    return depth.get()[0]++;
  }

  /** Undoes one {@link #enter()}; never goes below 0. */
  public void exit() {
    int[] value = depth.get();
    if (value[0] > 0) {
      value[0]--;
    }
  }
}
