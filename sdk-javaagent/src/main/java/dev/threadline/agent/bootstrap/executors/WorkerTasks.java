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
    if (previous == null) {
      return;
    }
    Frame frame = RUNNING.get();
    if (frame == null || frame.task != null) {
      // The worker's first task with a context, or one begun inside another's: a frame of its
      // own; a worker otherwise reuses its one frame from task to task.
      frame = new Frame(frame);
      RUNNING.set(frame);
    }
    frame.task = task;
    frame.previous = previous;
  }

  /**
   * From {@code afterExecute} (or when {@code beforeExecute} throws): restores the worker's own
   * context.
   */
  public static void end(Object task) {
    Frame frame = RUNNING.get();
    if (frame != null && frame.task == task && task != null) {
      Object previous = frame.previous;
      frame.task = null;
      frame.previous = null;
      if (frame.outer != null) {
        RUNNING.set(frame.outer);
      }
      TaskContexts.restore(previous);
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

  /** A task being run and the context to restore after it; {@code task} is null when free. */
  private static final class Frame {
    final Frame outer;
    Object task;
    Object previous;

    Frame(Frame outer) {
      this.outer = outer;
    }
  }
}
