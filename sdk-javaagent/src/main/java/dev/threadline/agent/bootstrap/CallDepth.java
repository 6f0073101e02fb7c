package dev.threadline.agent.bootstrap;

/**
 * Per-thread nesting depth of instrumented calls of one kind, so that a call through a wrapper (a
 * HikariCP proxy statement around the driver's, a filter around a servlet) makes one span, not two.
 * Each kind of call owns one instance, kept by its instrumentation's bootstrap helpers (for example
 * {@code JdbcSpans.CALL_DEPTH}).
 *
 * <p>Advice on a hot path keeps the thread's {@link Depth} from its enter to its exit (an {@code
 * Advice.Local}), so that the pair costs one thread-local lookup, not two.
 */
public final class CallDepth {
  private final ThreadLocal<Depth> depth = ThreadLocal.withInitial(Depth::new);

  /** This thread's depth for this kind of call. */
  public Depth current() {
    return depth.get();
  }

  /** Increments and returns the depth before the increment: 0 for the outermost call. */
  public int enter() {
    return depth.get().enter();
  }

  /** Undoes one {@link #enter()}; never goes below 0. */
  public void exit() {
    depth.get().exit();
  }

  /** One thread's depth; used only by that thread. */
  public static final class Depth {
    private int value;

    Depth() {}

    /** Increments and returns the depth before the increment: 0 for the outermost call. */
    public int enter() {
      return value++;
    }

    /** Undoes one {@link #enter()}; never goes below 0. */
    public void exit() {
      if (value > 0) {
        value--;
      }
    }
  }
}
