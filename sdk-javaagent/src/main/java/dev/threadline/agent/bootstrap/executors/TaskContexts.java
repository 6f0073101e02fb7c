package dev.threadline.agent.bootstrap.executors;

import dev.threadline.agent.bootstrap.ContextSwitch;
import dev.threadline.agent.bootstrap.WeakIdentityMap;
import io.opentelemetry.context.Context;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadPoolExecutor;

/**
 * Carries the context of the code that hands a task off to the thread that runs it. Advice in
 * executors calls {@link #capture} (the task object is remembered with the current context) or
 * {@link #wrap} (the task is replaced by a wrapper) when a task is handed off, and {@link
 * #attach}/{@link #restore} around its execution.
 *
 * <p>Rules kept here, for every executor: only a non-root context is captured (no active span:
 * nothing is allocated); a captured context is used once ({@link #attachOnce} forgets it); after
 * the task the thread is put back into exactly the context it had before, even if the task leaked a
 * scope; a task already carrying a context is never wrapped again.
 */
public final class TaskContexts {
  public static final String INSTRUMENTATION = "executors";

  private static final WeakIdentityMap<Context> CAPTURED = new WeakIdentityMap<>();

  private TaskContexts() {}

  /**
   * Remembers the current context for {@code task}, unless it is the root or the task carries its
   * own.
   */
  public static void capture(Object task) {
    if (task == null || task instanceof ContextTask) {
      return;
    }
    Context context = Context.current();
    if (context != Context.root()) {
      CAPTURED.put(task, context);
    }
  }

  /**
   * Remembers the current context for {@code task}, which stays the same object (a pool's hooks see
   * it), or, if the very same object is already waiting with a context (a non-capturing lambda is
   * one shared instance, submitted by any number of requests), returns it wrapped instead: an
   * identity map cannot tell two submissions of one object apart, and they must not swap or lose
   * their contexts.
   */
  public static Runnable captureOrWrap(Runnable task) {
    if (task == null || task instanceof ContextTask) {
      return task;
    }
    Context context = Context.current();
    if (context == Context.root()) {
      return task;
    }
    return CAPTURED.putIfAbsent(task, context) == null
        ? task
        : new ContextRunnableTask(context, task);
  }

  /** Forgets what was captured for {@code task} (rejected, cancelled, or run elsewhere). */
  public static void forget(Object task) {
    if (task != null) {
      CAPTURED.remove(task);
    }
  }

  /**
   * A runnable that runs {@code task} in the current context; {@code task} itself when there is
   * none to carry.
   */
  public static Runnable wrap(Runnable task) {
    if (task == null || task instanceof ContextTask) {
      return task;
    }
    Context context = Context.current();
    return context == Context.root() ? task : new ContextRunnableTask(context, task);
  }

  /**
   * A callable that calls {@code task} in the current context; {@code task} itself when there is
   * none.
   */
  public static <T> Callable<T> wrap(Callable<T> task) {
    if (task == null || task instanceof ContextTask) {
      return task;
    }
    Context context = Context.current();
    return context == Context.root() ? task : new ContextCallableTask<>(context, task);
  }

  /**
   * Makes the context captured for {@code task} current and forgets it.
   *
   * @return the context to pass to {@link #restore} afterwards, or {@code null} when nothing was
   *     captured
   */
  public static Object attachOnce(Object task) {
    Context context = CAPTURED.remove(task);
    return context == null ? null : attach(context);
  }

  /**
   * As {@link #attachOnce}, but the captured context stays (a completion may be tried more than
   * once).
   */
  public static Object attachKeep(Object task) {
    Context context = CAPTURED.get(task);
    return context == null ? null : attach(context);
  }

  static Context attach(Context context) {
    Context previous = Context.current();
    // No scope is kept: restore() switches back to `previous`, which also undoes scopes the task
    // leaked.
    ContextSwitch.to(context);
    return previous;
  }

  /**
   * Puts the thread back into {@code previous} (the value an attach method returned); no-op for
   * {@code null}.
   */
  public static void restore(Object previous) {
    if (previous != null && Context.current() != previous) {
      ContextSwitch.to((Context) previous);
    }
  }

  /** Number of tasks holding a captured context (diagnostics and leak tests). */
  public static int pending() {
    return CAPTURED.size();
  }

  /**
   * Whether {@code pool} is a server's or a connection pool's own (HikariCP's connection adder,
   * closer and housekeeper; Tomcat's and Netty's utility pools), told by the thread factory the
   * library gives it. Their tasks belong to no request: a connection opened because one request
   * waited serves every later one, and the tasks it schedules (its retirement, the next connection)
   * would carry that request's trace for as long as the pool lives.
   */
  public static boolean isServerOrPoolInternal(ThreadPoolExecutor pool) {
    String factory = pool.getThreadFactory().getClass().getName();
    return factory.startsWith("com.zaxxer.hikari.")
        || factory.startsWith("org.apache.tomcat.")
        || factory.startsWith("io.netty.");
  }
}
