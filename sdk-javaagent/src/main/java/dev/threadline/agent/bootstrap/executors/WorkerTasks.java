package dev.threadline.agent.bootstrap.executors;

/**
 * The task a {@code ThreadPoolExecutor} worker is running, between {@code beforeExecute} and {@code
 * afterExecute}: two separate methods, so what must be undone after the task is kept per thread.
 * The application's own {@code Runnable} is what both methods receive; nothing is wrapped.
 */
public final class WorkerTasks {
  private static final ThreadLocal<Frame> RUNNING = new ThreadLocal<>();

  private WorkerTasks() {}

  /** From {@code beforeExecute}: attaches the context captured for {@code task}, once. */
  public static void begin(Object task) {
    Object previous = TaskContexts.attachOnce(task);
    if (previous != null) {
      RUNNING.set(new Frame(task, previous, RUNNING.get()));
    }
  }

  /**
   * From {@code afterExecute} (or when {@code beforeExecute} throws): restores the worker's own
   * context.
   */
  public static void end(Object task) {
    Frame frame = RUNNING.get();
    if (frame != null && frame.task == task) {
      RUNNING.set(frame.outer);
      TaskContexts.restore(frame.previous);
    }
  }

  private static final ThreadLocal<int[]> IN_POOL_INTERNALS =
      ThreadLocal.withInitial(() -> new int[1]);

  /**
   * From {@code ThreadPoolExecutor.addWorker}: threads started from here are the pool's own
   * workers.
   */
  public static void enterPoolInternals() {
    IN_POOL_INTERNALS.get()[0]++;
  }

  public static void exitPoolInternals() {
    IN_POOL_INTERNALS.get()[0]--;
  }

  /**
   * Whether the thread being started is a pool's worker (it must not inherit its creator's
   * context).
   */
  public static boolean startingPoolWorker() {
    return IN_POOL_INTERNALS.get()[0] > 0;
  }

  private static final class Frame {
    final Object task;
    final Object previous;
    final Frame outer;

    Frame(Object task, Object previous, Frame outer) {
      this.task = task;
      this.previous = previous;
      this.outer = outer;
    }
  }
}
