package dev.threadline.agent.bootstrap;

/**
 * Per-thread nesting depth of instrumented calls of one kind, so that a call through a wrapper (a
 * HikariCP proxy statement around the driver's, a filter around a servlet) makes one span, not two.
 */
public final class CallDepth {
  /** Kinds of nested calls. */
  public static final int JDBC = 0;

  public static final int HTTP_CLIENT = 1;
  private static final int KINDS = 2;

  private static final ThreadLocal<int[]> depths = ThreadLocal.withInitial(() -> new int[KINDS]);

  private CallDepth() {}

  /** Increments and returns the depth before the increment: 0 for the outermost call. */
  public static int enter(int kind) {
    return depths.get()[kind]++;
  }

  public static void exit(int kind) {
    int[] values = depths.get();
    if (values[kind] > 0) {
      values[kind]--;
    }
  }
}
