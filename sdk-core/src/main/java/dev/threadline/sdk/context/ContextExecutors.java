package dev.threadline.sdk.context;

import io.opentelemetry.context.Context;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/**
 * Wrappers that carry the OpenTelemetry {@link Context} of the submitting thread to the thread that
 * runs a task.
 *
 * <p>Rules shared by every wrapper:
 *
 * <ul>
 *   <li>The context is captured <em>once</em>, when the task is submitted (or, for the task
 *       wrappers, when {@code wrap} is called), never when it runs.
 *   <li>The task runs with that context current, and afterwards the worker thread's context is
 *       exactly what it was before the task, even if the task leaked a {@link
 *       io.opentelemetry.context.Scope} it never closed. A pool thread therefore never hands one
 *       request's context to the next task.
 *   <li>The root (empty) context is never propagated: a task submitted with no context current is
 *       passed to the underlying executor as is, unwrapped, with no allocation.
 *   <li>Nothing is wrapped twice: wrapping a wrapped executor returns it, and a task already
 *       wrapped here keeps the context it captured.
 *   <li>Periodic tasks ({@link ScheduledExecutorService#scheduleAtFixedRate scheduleAtFixedRate},
 *       {@link ScheduledExecutorService#scheduleWithFixedDelay scheduleWithFixedDelay}) are passed
 *       through unwrapped and run in the worker's (root) context: a periodic task outlives the
 *       request that scheduled it, and parenting every run under that request would keep one trace
 *       growing forever. One-shot {@code schedule(...)} calls do propagate. (A periodic task the
 *       caller wrapped explicitly keeps the context it captured: that is the caller's choice.)
 * </ul>
 *
 * <p>As with {@link ExecutorService#submit}, {@code wrap(() -> expression)} resolves to the {@link
 * Callable} overload when the expression has a value; write a block lambda ({@code () -> {
 * expression; }}) to get a {@link Runnable}.
 *
 * <p>Lifecycle methods ({@code shutdown}, {@code awaitTermination}, ...) delegate to the wrapped
 * executor. {@code shutdownNow()} returns the tasks as the delegate holds them, so re-submitting
 * them keeps their context.
 */
public final class ContextExecutors {

  private ContextExecutors() {}

  /**
   * Returns an executor that runs each task in the context current at {@link Executor#execute};
   * returns {@code executor} itself if it is already such a wrapper.
   */
  public static Executor wrap(Executor executor) {
    Objects.requireNonNull(executor, "executor");
    if (executor instanceof ContextExecutor || executor instanceof ContextExecutorService) {
      return executor;
    }
    return new ContextExecutor(executor);
  }

  /**
   * Returns an executor service that runs each submitted task in the context current at submission;
   * returns {@code executor} itself if it is already such a wrapper. {@code invokeAll}/{@code
   * invokeAny} capture the context once for the whole collection.
   */
  public static ExecutorService wrap(ExecutorService executor) {
    Objects.requireNonNull(executor, "executor");
    if (executor instanceof ContextExecutorService) {
      return executor;
    }
    return new ContextExecutorService(executor);
  }

  /**
   * Returns a scheduled executor service that propagates the context to one-shot tasks ({@code
   * execute}, {@code submit}, {@code invokeAll}, {@code invokeAny}, {@code schedule}) and passes
   * periodic tasks through unwrapped (they run in root context); returns {@code executor} itself if
   * it is already such a wrapper.
   */
  public static ScheduledExecutorService wrap(ScheduledExecutorService executor) {
    Objects.requireNonNull(executor, "executor");
    if (executor instanceof ContextScheduledExecutorService) {
      return executor;
    }
    return new ContextScheduledExecutorService(executor);
  }

  /**
   * Returns a runnable that runs {@code task} in the context current now. Returns {@code task}
   * itself when the current context is the root context or {@code task} is already wrapped.
   */
  public static Runnable wrap(Runnable task) {
    return capture(Objects.requireNonNull(task, "task"));
  }

  /**
   * Returns a callable that calls {@code task} in the context current now. Returns {@code task}
   * itself when the current context is the root context or {@code task} is already wrapped.
   */
  public static <T> Callable<T> wrap(Callable<T> task) {
    return capture(Objects.requireNonNull(task, "task"));
  }

  /**
   * Returns a supplier that calls {@code task} in the context current now, for example for {@code
   * CompletableFuture.supplyAsync(ContextExecutors.wrapSupplier(s), pool)}. Returns {@code task}
   * itself when the current context is the root context or {@code task} is already wrapped. (Not an
   * overload of {@code wrap}: a lambda fits both {@code Callable} and {@code Supplier}, which would
   * make every call ambiguous.)
   */
  public static <T> Supplier<T> wrapSupplier(Supplier<T> task) {
    Objects.requireNonNull(task, "task");
    if (task instanceof ContextSupplier) {
      return task;
    }
    Context context = Context.current();
    return context == Context.root() ? task : new ContextSupplier<>(context, task);
  }

  // The capture methods are the hot path of every wrapped executor: a class check, one thread-local
  // read and an identity comparison; they allocate only when there is a context to carry.

  static Runnable capture(Runnable task) {
    if (task instanceof ContextRunnable) {
      return task;
    }
    Context context = Context.current();
    return context == Context.root() ? task : new ContextRunnable(context, task);
  }

  static <T> Callable<T> capture(Callable<T> task) {
    if (task instanceof ContextCallable) {
      return task;
    }
    Context context = Context.current();
    return context == Context.root() ? task : new ContextCallable<>(context, task);
  }

  /** Captures the current context once and applies it to every task of the collection. */
  static <T> Collection<? extends Callable<T>> captureAll(Collection<? extends Callable<T>> tasks) {
    Context context = Context.current();
    if (context == Context.root()) {
      return tasks;
    }
    List<Callable<T>> wrapped = new ArrayList<>(tasks.size());
    for (Callable<T> task : tasks) {
      wrapped.add(task instanceof ContextCallable ? task : new ContextCallable<>(context, task));
    }
    return wrapped;
  }
}
