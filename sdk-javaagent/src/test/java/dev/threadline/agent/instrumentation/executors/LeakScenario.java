package dev.threadline.agent.instrumentation.executors;

import dev.threadline.agent.bootstrap.executors.ContextProbe;
import example.app.AppTimerTask;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Timer;
import java.util.TimerTask;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * 10,000 mixed tasks handed off from 100 requests (pools, ForkJoin, CompletableFuture, a {@code
 * java.util.Timer}, new threads), then: is every worker back at the root context, and can every
 * captured context be collected (also a cancelled task's, but not a still-pending one's)?
 */
public final class LeakScenario {
  private static final int REQUESTS = 100;
  private static final int TASKS_PER_REQUEST = 100;
  private static final int GC_ROUNDS = 20;
  private static final int KINDS = 7;

  private LeakScenario() {}

  public static void main(String[] args) throws Exception {
    run();
    System.out.println("scenario done");
  }

  static void run() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    ForkJoinPool forkJoin = new ForkJoinPool(2);
    Timer timer = new Timer("leak-timer", true);
    AtomicInteger[] inContext = new AtomicInteger[KINDS];
    for (int k = 0; k < inContext.length; k++) {
      inContext[k] = new AtomicInteger();
    }
    List<WeakReference<Object>> contexts = new ArrayList<>();
    CountDownLatch finished = new CountDownLatch(REQUESTS * TASKS_PER_REQUEST);
    WeakReference<Object> cancelled;
    WeakReference<Object> pending;
    ScheduledFuture<?> pendingTask;
    try (Handoffs h = new Handoffs()) {
      for (int r = 0; r < REQUESTS; r++) {
        h.request(
            "leak-" + r,
            () -> {
              // Held weakly by the tasks too: only the agent's capture may keep it alive.
              WeakReference<Object> mine = new WeakReference<>(ContextProbe.current());
              contexts.add(mine);
              List<Future<?>> futures = new ArrayList<>();
              for (int i = 0; i < TASKS_PER_REQUEST; i++) {
                AtomicInteger counter = inContext[i % KINDS];
                Runnable task =
                    () -> {
                      // Exactly this request's context, not merely some context: a context
                      // swapped with another request's does not count.
                      if (ContextProbe.current() == mine.get()) {
                        counter.incrementAndGet();
                      }
                      finished.countDown();
                    };
                switch (i % KINDS) {
                  case 0 -> pool.execute(task);
                  case 1 -> futures.add(pool.submit(task));
                  case 2 -> futures.add(scheduler.schedule(task, 0, TimeUnit.MILLISECONDS));
                  case 3 -> futures.add(forkJoin.submit(task));
                  case 4 -> futures.add(CompletableFuture.runAsync(task, pool).thenRun(() -> {}));
                  case 5 -> timer.schedule(timerTask(task), 0);
                  default -> new Thread(task).start();
                }
              }
              for (Future<?> future : futures) {
                future.get(20, TimeUnit.SECONDS);
              }
            });
      }
      AtomicReference<WeakReference<Object>> cancelledRef = new AtomicReference<>();
      h.request(
          "leak-cancelled",
          () -> {
            cancelledRef.set(new WeakReference<>(ContextProbe.current()));
            scheduler.schedule(() -> {}, 1, TimeUnit.HOURS).cancel(false);
          });
      // The control: a task still waiting must keep its context (else the GC check below proves
      // nothing).
      AtomicReference<WeakReference<Object>> pendingRef = new AtomicReference<>();
      AtomicReference<ScheduledFuture<?>> pendingFuture = new AtomicReference<>();
      h.request(
          "leak-pending",
          () -> {
            pendingRef.set(new WeakReference<>(ContextProbe.current()));
            pendingFuture.set(scheduler.schedule(() -> {}, 1, TimeUnit.HOURS));
          });
      cancelled = cancelledRef.get();
      pending = pendingRef.get();
      pendingTask = pendingFuture.get();
      // The fire-and-forget pool.execute tasks finish before anything is checked.
      if (!finished.await(20, TimeUnit.SECONDS)) {
        throw new IllegalStateException("tasks did not finish: " + finished.getCount() + " left");
      }
      int ran = 0;
      StringBuilder kinds = new StringBuilder();
      for (AtomicInteger counter : inContext) {
        ran += counter.get();
        kinds.append(' ').append(counter.get());
      }
      System.out.println("leak ran-in-context=" + ran + " by kind:" + kinds);
      boolean allRoot =
          workersAtRoot(pool, 4)
              & workersAtRoot(scheduler, 2)
              & workersAtRoot(forkJoin, 2)
              & timerAtRoot(timer);
      System.out.println(
          "leak workers-at-root=" + allRoot + " main-at-root=" + ContextProbe.isRoot());
      List<WeakReference<Object>> collectable = new ArrayList<>(contexts);
      collectable.add(cancelled);
      collectGarbage(collectable);
      long collected = contexts.stream().filter(ref -> ref.get() == null).count();
      System.out.println("leak collected=" + collected + "/" + contexts.size());
      System.out.println("leak cancelled-collected=" + (cancelled.get() == null));
      System.out.println(
          "leak pending-retained="
              + (pending.get() != null)
              + " pending-tasks="
              + ContextProbe.pendingTasks());
      pendingTask.cancel(false);
    } finally {
      pool.shutdownNow();
      scheduler.shutdownNow();
      forkJoin.shutdownNow();
      timer.cancel();
    }
  }

  private static TimerTask timerTask(Runnable task) {
    return new AppTimerTask(task);
  }

  /** Runs one task on the timer's thread from the root context. */
  private static boolean timerAtRoot(Timer timer) throws Exception {
    CompletableFuture<Boolean> root = new CompletableFuture<>();
    timer.schedule(timerTask(() -> root.complete(ContextProbe.isRoot())), 0);
    return root.get(30, TimeUnit.SECONDS);
  }

  /**
   * Runs full collections until every reference in {@code expected} is cleared, at most {@link
   * #GC_ROUNDS} of them. Each round waits for its own event, not for time: a fresh weak reference
   * enqueued by the reference handler says that round's collection has been processed; the agent's
   * map then expunges what it collected (a task's entry holds its context until expunged).
   */
  private static void collectGarbage(List<WeakReference<Object>> expected)
      throws InterruptedException {
    ReferenceQueue<Object> rounds = new ReferenceQueue<>();
    for (int round = 0; round < GC_ROUNDS; round++) {
      WeakReference<Object> marker = new WeakReference<>(new Object(), rounds);
      System.gc();
      if (rounds.remove(TimeUnit.SECONDS.toMillis(20)) != marker) {
        throw new IllegalStateException("a full collection did not clear a fresh weak reference");
      }
      ContextProbe.pendingTasks(); // expunges entries of collected tasks
      if (expected.stream().allMatch(ref -> ref.get() == null)) {
        System.out.println("leak gc-rounds=" + (round + 1));
        return;
      }
    }
    System.out.println("leak gc-rounds=" + GC_ROUNDS + " (exhausted)");
  }

  /** Runs one task per worker (a barrier keeps each on its own thread) from the root context. */
  private static boolean workersAtRoot(ExecutorService executor, int workers) throws Exception {
    CyclicBarrier barrier = new CyclicBarrier(workers);
    List<Future<Boolean>> checks = new ArrayList<>();
    for (int i = 0; i < workers; i++) {
      checks.add(
          executor.submit(
              () -> {
                barrier.await(20, TimeUnit.SECONDS);
                return ContextProbe.isRoot();
              }));
    }
    boolean all = true;
    for (Future<Boolean> check : checks) {
      all &= check.get(30, TimeUnit.SECONDS);
    }
    return all;
  }
}
