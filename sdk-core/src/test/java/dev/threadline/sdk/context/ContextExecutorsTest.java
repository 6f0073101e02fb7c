package dev.threadline.sdk.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@SuppressWarnings("try") // try (Scope ignored = ...) is the idiom
class ContextExecutorsTest {

  private static final long TIMEOUT_SECONDS = 10;

  private final Context requestA = TestContexts.withSpan("a1");
  private final Context requestB = TestContexts.withSpan("b2");

  private RecordingThreadPool pool;
  private RecordingScheduledPool scheduler;

  @BeforeEach
  void setUp() {
    assertThat(Context.current()).as("test thread starts in root context").isSameAs(Context.root());
    pool = new RecordingThreadPool();
    scheduler = new RecordingScheduledPool();
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    pool.shutdownNow();
    scheduler.shutdownNow();
    assertThat(pool.awaitTermination(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(scheduler.awaitTermination(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(Context.current()).as("test thread ends in root context").isSameAs(Context.root());
  }

  @Test
  void executorRunsTaskInSubmittersContext() throws Exception {
    Executor executor = ContextExecutors.wrap((Executor) pool);
    CompletableFuture<Context> seen = new CompletableFuture<>();
    try (Scope ignored = requestA.makeCurrent()) {
      executor.execute(() -> seen.complete(Context.current()));
    }
    assertThat(get(seen)).isSameAs(requestA);
  }

  @Test
  void executorServicePropagatesToRunnableAndCallable() throws Exception {
    ExecutorService executor = ContextExecutors.wrap((ExecutorService) pool);
    CompletableFuture<Context> fromRunnable = new CompletableFuture<>();
    CompletableFuture<Context> fromExecute = new CompletableFuture<>();
    Future<Context> fromCallable;
    Future<String> fromRunnableWithResult;
    try (Scope ignored = requestA.makeCurrent()) {
      executor.submit(
          () -> {
            fromRunnable.complete(Context.current());
          });
      executor.execute(() -> fromExecute.complete(Context.current()));
      fromCallable = executor.submit(Context::current);
      fromRunnableWithResult =
          executor.submit(() -> assertThat(Context.current()).isSameAs(requestA), "done");
    }
    assertThat(get(fromRunnable)).isSameAs(requestA);
    assertThat(get(fromExecute)).isSameAs(requestA);
    assertThat(get(fromCallable)).isSameAs(requestA);
    assertThat(get(fromRunnableWithResult)).isEqualTo("done");
  }

  @Test
  void rootContextIsNotPropagatedAndTasksPassThroughUnwrapped() throws Exception {
    Runnable runnable = () -> {};
    Callable<String> callable = () -> "x";
    Supplier<String> supplier = () -> "x";
    assertThat(ContextExecutors.wrap(runnable)).isSameAs(runnable);
    assertThat(ContextExecutors.wrap(callable)).isSameAs(callable);
    assertThat(ContextExecutors.wrapSupplier(supplier)).isSameAs(supplier);

    ExecutorService executor = ContextExecutors.wrap((ExecutorService) pool);
    executor.execute(runnable);
    executor.submit(callable).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    executor.invokeAll(List.of(callable));
    assertThat(pool.submitted).containsExactly(runnable, callable, callable);

    List<Runnable> direct = new CopyOnWriteArrayList<>();
    ContextExecutors.wrap((Executor) direct::add).execute(runnable);
    assertThat(direct).containsExactly(runnable);
  }

  @Test
  void workerThreadIsBackToItsPreviousContextAfterTheTask() throws Exception {
    ExecutorService executor = ContextExecutors.wrap((ExecutorService) pool);
    try (Scope ignored = requestA.makeCurrent()) {
      executor.submit(() -> assertThat(Context.current()).isSameAs(requestA)).get();
    }
    assertThat(workerContext()).isSameAs(Context.root());

    // A worker that was already in some context goes back to exactly that one, not to root.
    Context workerBase = TestContexts.withSpan("ba5e");
    pool.submit(
            () -> {
              workerBase.makeCurrent();
            })
        .get(); // deliberately leaked by an unwrapped task
    try (Scope ignored = requestA.makeCurrent()) {
      executor.submit(() -> assertThat(Context.current()).isSameAs(requestA)).get();
    }
    assertThat(workerContext()).isSameAs(workerBase);
    pool.submit(
            () -> {
              Context.root().makeCurrent();
            })
        .get();
  }

  @Test
  void scopeLeakedByAWrappedTaskDoesNotLeakIntoTheNextTask() throws Exception {
    ExecutorService executor = ContextExecutors.wrap((ExecutorService) pool);
    try (Scope ignored = requestA.makeCurrent()) {
      executor
          .submit(
              () -> {
                requestB.makeCurrent();
              })
          .get(); // never closed
    }
    assertThat(workerContext()).isSameAs(Context.root());
  }

  @Test
  void workerThreadIsRestoredWhenTheTaskThrows() throws Exception {
    ExecutorService executor = ContextExecutors.wrap((ExecutorService) pool);
    Future<Object> failed;
    try (Scope ignored = requestA.makeCurrent()) {
      failed =
          executor.submit(
              () -> {
                throw new IllegalStateException("boom");
              });
    }
    assertThatThrownBy(() -> failed.get(TIMEOUT_SECONDS, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasRootCauseMessage("boom");
    assertThat(workerContext()).isSameAs(Context.root());
  }

  @Test
  void contextIsCapturedWhenWrappingNotWhenRunning() throws Exception {
    Runnable runnable;
    Callable<Context> callable;
    Supplier<Context> supplier;
    CompletableFuture<Context> seen = new CompletableFuture<>();
    try (Scope ignored = requestA.makeCurrent()) {
      runnable =
          ContextExecutors.wrap(
              () -> {
                seen.complete(Context.current());
              });
      callable = ContextExecutors.wrap(Context::current);
      supplier = ContextExecutors.wrapSupplier(Context::current);
    }
    try (Scope ignored = requestB.makeCurrent()) {
      runnable.run();
      assertThat(get(seen)).isSameAs(requestA);
      assertThat(callable.call()).isSameAs(requestA);
      assertThat(supplier.get()).isSameAs(requestA);
      assertThat(Context.current()).as("caller's context restored").isSameAs(requestB);
    }
  }

  @Test
  void supplierPropagatesThroughCompletableFuture() throws Exception {
    CompletableFuture<String> spanId;
    try (Scope ignored = requestA.makeCurrent()) {
      spanId =
          CompletableFuture.supplyAsync(
              ContextExecutors.wrapSupplier(() -> TestContexts.spanId(Context.current())), pool);
    }
    assertThat(get(spanId)).isEqualTo(TestContexts.spanId(requestA));
    assertThat(workerContext()).isSameAs(Context.root());
  }

  @Test
  void invokeAllAndInvokeAnyCaptureTheContextOnceForAllTasks() throws Exception {
    ExecutorService executor = ContextExecutors.wrap((ExecutorService) new RecordingThreadPool(3));
    try {
      List<Future<Context>> all;
      Context any;
      Context anyTimed;
      try (Scope ignored = requestA.makeCurrent()) {
        List<Callable<Context>> tasks =
            List.of(Context::current, Context::current, Context::current);
        all = executor.invokeAll(tasks);
        List<Future<Context>> allTimed =
            executor.invokeAll(tasks, TIMEOUT_SECONDS, TimeUnit.SECONDS);
        for (Future<Context> result : allTimed) {
          assertThat(result.get()).isSameAs(requestA);
        }
        any = executor.invokeAny(tasks);
        anyTimed = executor.invokeAny(tasks, TIMEOUT_SECONDS, TimeUnit.SECONDS);
      }
      for (Future<Context> result : all) {
        assertThat(result.get()).isSameAs(requestA);
      }
      assertThat(any).isSameAs(requestA);
      assertThat(anyTimed).isSameAs(requestA);
    } finally {
      executor.shutdownNow();
    }
  }

  @Test
  void scheduledOneShotTasksPropagate() throws Exception {
    ScheduledExecutorService executor = ContextExecutors.wrap((ScheduledExecutorService) scheduler);
    CompletableFuture<Context> fromRunnable = new CompletableFuture<>();
    ScheduledFuture<Context> fromCallable;
    try (Scope ignored = requestA.makeCurrent()) {
      executor.schedule(
          () -> {
            fromRunnable.complete(Context.current());
          },
          1,
          TimeUnit.MILLISECONDS);
      fromCallable = executor.schedule(Context::current, 1, TimeUnit.MILLISECONDS);
    }
    assertThat(get(fromRunnable)).isSameAs(requestA);
    assertThat(get(fromCallable)).isSameAs(requestA);
  }

  @Test
  void periodicTasksRunInRootContextAndPassThroughUnwrapped() throws Exception {
    ScheduledExecutorService executor = ContextExecutors.wrap((ScheduledExecutorService) scheduler);
    CompletableFuture<Context> fixedRate = new CompletableFuture<>();
    CompletableFuture<Context> fixedDelay = new CompletableFuture<>();
    Runnable fixedRateTask = () -> fixedRate.complete(Context.current());
    Runnable fixedDelayTask = () -> fixedDelay.complete(Context.current());
    ScheduledFuture<?> rate;
    ScheduledFuture<?> delay;
    try (Scope ignored = requestA.makeCurrent()) {
      rate = executor.scheduleAtFixedRate(fixedRateTask, 0, 10, TimeUnit.MILLISECONDS);
      delay = executor.scheduleWithFixedDelay(fixedDelayTask, 0, 10, TimeUnit.MILLISECONDS);
    }
    try {
      assertThat(get(fixedRate)).isSameAs(Context.root());
      assertThat(get(fixedDelay)).isSameAs(Context.root());
      assertThat(scheduler.scheduled).containsExactly(fixedRateTask, fixedDelayTask);
    } finally {
      rate.cancel(false);
      delay.cancel(false);
    }
  }

  @Test
  void nothingIsWrappedTwice() throws Exception {
    Executor executor = ContextExecutors.wrap((Executor) pool);
    ExecutorService service = ContextExecutors.wrap((ExecutorService) pool);
    ScheduledExecutorService scheduled =
        ContextExecutors.wrap((ScheduledExecutorService) scheduler);
    assertThat(ContextExecutors.wrap(executor)).isSameAs(executor);
    assertThat(ContextExecutors.wrap(service)).isSameAs(service);
    assertThat(ContextExecutors.wrap((Executor) service)).isSameAs(service);
    assertThat(ContextExecutors.wrap(scheduled)).isSameAs(scheduled);
    assertThat(ContextExecutors.wrap((ExecutorService) scheduled)).isSameAs(scheduled);

    Runnable wrappedInA;
    Callable<Context> callableInA;
    Supplier<Context> supplierInA;
    try (Scope ignored = requestA.makeCurrent()) {
      wrappedInA =
          ContextExecutors.wrap(
              () -> {
                assertThat(Context.current()).isSameAs(requestA);
              });
      callableInA = ContextExecutors.wrap(Context::current);
      supplierInA = ContextExecutors.wrapSupplier(Context::current);
    }
    try (Scope ignored = requestB.makeCurrent()) {
      assertThat(ContextExecutors.wrap(wrappedInA)).isSameAs(wrappedInA);
      assertThat(ContextExecutors.wrap(callableInA)).isSameAs(callableInA);
      assertThat(ContextExecutors.wrapSupplier(supplierInA)).isSameAs(supplierInA);
      // Submitted under B, the already-wrapped tasks keep the context they captured (A) and reach
      // the pool as is.
      service.submit(wrappedInA).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      assertThat(service.submit(callableInA).get(TIMEOUT_SECONDS, TimeUnit.SECONDS))
          .isSameAs(requestA);
    }
    assertThat(pool.submitted).containsExactly(wrappedInA, callableInA);
  }

  @Test
  void lifecycleMethodsDelegate() throws Exception {
    ExecutorService executor = ContextExecutors.wrap((ExecutorService) pool);
    CountDownLatch release = new CountDownLatch(1);
    executor.execute(() -> awaitQuietly(release));
    executor.execute(() -> {}); // queued behind the blocked task
    assertThat(executor.isShutdown()).isFalse();
    List<Runnable> neverRun = executor.shutdownNow();
    assertThat(neverRun).hasSize(1);
    assertThat(pool.isShutdown()).isTrue();
    assertThat(executor.isShutdown()).isTrue();
    release.countDown();
    assertThat(executor.awaitTermination(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(executor.isTerminated()).isTrue();

    ExecutorService other = ContextExecutors.wrap((ExecutorService) scheduler);
    other.shutdown();
    assertThat(scheduler.isShutdown()).isTrue();
  }

  /** The worker's current context, read by a task submitted to the unwrapped single-thread pool. */
  private Context workerContext() throws Exception {
    return pool.submit(Context::current).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  private static <T> T get(Future<T> future) throws Exception {
    return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * A real thread pool that records each task as the wrapper handed it over (before it is made a
   * future).
   */
  static final class RecordingThreadPool extends ThreadPoolExecutor {
    final List<Object> submitted = new CopyOnWriteArrayList<>();

    RecordingThreadPool() {
      this(1);
    }

    RecordingThreadPool(int threads) {
      super(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>());
    }

    @Override
    public void execute(Runnable command) {
      if (!(command instanceof RunnableFuture)) {
        submitted.add(command);
      }
      super.execute(command);
    }

    @Override
    protected <T> RunnableFuture<T> newTaskFor(Runnable runnable, T value) {
      submitted.add(runnable);
      return super.newTaskFor(runnable, value);
    }

    @Override
    protected <T> RunnableFuture<T> newTaskFor(Callable<T> callable) {
      submitted.add(callable);
      return super.newTaskFor(callable);
    }
  }

  /** A real scheduler that records each periodic task as the wrapper handed it over. */
  static final class RecordingScheduledPool extends ScheduledThreadPoolExecutor {
    final List<Runnable> scheduled = new CopyOnWriteArrayList<>();

    RecordingScheduledPool() {
      super(1);
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(
        Runnable command, long initialDelay, long period, TimeUnit unit) {
      scheduled.add(command);
      return super.scheduleAtFixedRate(command, initialDelay, period, unit);
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(
        Runnable command, long initialDelay, long delay, TimeUnit unit) {
      scheduled.add(command);
      return super.scheduleWithFixedDelay(command, initialDelay, delay, unit);
    }
  }
}
