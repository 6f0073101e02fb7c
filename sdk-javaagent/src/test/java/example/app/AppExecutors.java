package example.app;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Executors as an application writes them, outside the agent's own packages (which it never
 * instruments): a thread per task, a decorator around another executor, and a pool whose hooks do
 * not call {@code super}.
 */
public final class AppExecutors {
  private AppExecutors() {}

  /** A new thread per task. */
  public static final class NewThreadExecutor implements Executor {
    @Override
    public void execute(Runnable command) {
      new Thread(command, "custom-executor").start();
    }
  }

  /** An executor decorating another executor, as frameworks stack them. */
  public static final class DelegatingExecutor implements Executor {
    private final Executor delegate;

    public DelegatingExecutor(Executor delegate) {
      this.delegate = delegate;
    }

    @Override
    public void execute(Runnable command) {
      delegate.execute(command);
    }
  }

  /**
   * A one-thread pool remembering what its hooks received; the overrides deliberately skip {@code
   * super}.
   */
  public static final class HookedPool extends ThreadPoolExecutor {
    public final AtomicReference<Runnable> seenBefore = new AtomicReference<>();
    public final AtomicReference<Runnable> seenAfter = new AtomicReference<>();

    public HookedPool() {
      super(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
    }

    @Override
    protected void beforeExecute(Thread t, Runnable r) {
      seenBefore.set(r);
    }

    @Override
    protected void afterExecute(Runnable r, Throwable t) {
      seenAfter.set(r);
    }
  }
}
