package dev.threadline.agent.instrumentation.executors;

import dev.threadline.agent.bootstrap.executors.ContextRunnableTask;
import example.app.AppExecutors.DelegatingExecutor;
import example.app.AppExecutors.HookedPool;
import example.app.AppExecutors.NewThreadExecutor;
import example.app.AppTimerTask;
import java.util.Date;
import java.util.List;
import java.util.Timer;
import java.util.TimerTask;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.RecursiveAction;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

/**
 * The hand-off matrix: one request per pattern, each handing work to another thread that makes a
 * real HTTP or JDBC call. Runs every pattern in one JVM; on JDK 21+ the virtual-thread patterns
 * too.
 */
public final class HandoffScenario {
  private static final long WAIT = 20;

  private HandoffScenario() {}

  public static void main(String[] args) throws Exception {
    run();
    System.out.println("scenario done");
  }

  static void run() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    ForkJoinPool forkJoin = new ForkJoinPool(2);
    ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1);
    try (Handoffs h = new Handoffs()) {
      h.request(
          "tpe-execute",
          () -> {
            CountDownLatch done = new CountDownLatch(1);
            pool.execute(
                () -> {
                  h.httpCall("tpe-execute");
                  done.countDown();
                });
            await(done);
          });
      h.table("tpe-submit-callable");
      h.request(
          "tpe-submit-callable",
          () ->
              pool.submit(
                      () -> {
                        h.jdbcCall("tpe-submit-callable");
                        return 1;
                      })
                  .get(WAIT, TimeUnit.SECONDS));
      h.request(
          "tpe-invoke-all",
          () -> {
            List<Callable<Integer>> tasks =
                List.of(
                    () -> {
                      h.httpCall("tpe-invoke-all");
                      return 1;
                    });
            pool.invokeAll(tasks).get(0).get(WAIT, TimeUnit.SECONDS);
          });
      h.request("tpe-subclass-hooks", () -> subclassHooks(h));
      h.request(
          "jdk-delegating-executor",
          () -> {
            ExecutorService unconfigurable = Executors.unconfigurableExecutorService(pool);
            unconfigurable
                .submit(() -> h.httpCall("jdk-delegating-executor"))
                .get(WAIT, TimeUnit.SECONDS);
          });
      h.request(
          "stpe-schedule",
          () ->
              scheduler
                  .schedule(() -> h.httpCall("stpe-schedule"), 10, TimeUnit.MILLISECONDS)
                  .get(WAIT, TimeUnit.SECONDS));
      h.request(
          "stpe-fixed-rate",
          () -> {
            // A repeating task must not carry the request that scheduled it: its call is expected
            // in a trace of
            // its own.
            CountDownLatch once = new CountDownLatch(1);
            AtomicBoolean first = new AtomicBoolean(true);
            ScheduledFuture<?> repeating =
                scheduler.scheduleAtFixedRate(
                    () -> {
                      if (first.compareAndSet(true, false)) {
                        h.httpCall("stpe-fixed-rate");
                        once.countDown();
                      }
                    },
                    0,
                    5,
                    TimeUnit.MILLISECONDS);
            await(once);
            repeating.cancel(false);
          });
      h.request(
          "fjp-execute",
          () -> {
            CountDownLatch done = new CountDownLatch(1);
            forkJoin.execute(
                () -> {
                  h.httpCall("fjp-execute");
                  done.countDown();
                });
            await(done);
          });
      h.request("fjp-fork", () -> forkJoin.invoke(new ForkingAction(h, "fjp-fork")));
      h.table("cf-supply-async");
      h.request(
          "cf-supply-async",
          () ->
              CompletableFuture.supplyAsync(
                      () -> {
                        h.jdbcCall("cf-supply-async");
                        return 1;
                      })
                  .get(WAIT, TimeUnit.SECONDS));
      CompletableFuture<String> source = new CompletableFuture<>();
      AtomicReference<CompletableFuture<String>> stage = new AtomicReference<>();
      h.request(
          "cf-then-apply-sync",
          () ->
              stage.set(
                  source.thenApply(
                      value -> {
                        h.httpCall("cf-then-apply-sync");
                        return value;
                      })));
      // Completed by another request on another thread: the stage still belongs to the request that
      // registered it.
      h.request(
          "cf-completer",
          () -> {
            Thread completer = new Thread(() -> source.complete("x"), "completer");
            completer.start();
            completer.join();
          });
      stage.get().get(WAIT, TimeUnit.SECONDS);
      CompletableFuture<String> later = new CompletableFuture<>();
      AtomicReference<CompletableFuture<Void>> asyncStage = new AtomicReference<>();
      h.request(
          "cf-then-accept-async",
          () ->
              asyncStage.set(
                  later.thenAcceptAsync(value -> h.httpCall("cf-then-accept-async"), pool)));
      later.complete("y");
      asyncStage.get().get(WAIT, TimeUnit.SECONDS);
      h.table("parallel-stream");
      h.request("parallel-stream", () -> parallelStream(h));
      h.request(
          "custom-executor",
          () -> {
            CountDownLatch done = new CountDownLatch(1);
            new NewThreadExecutor()
                .execute(
                    () -> {
                      h.httpCall("custom-executor");
                      done.countDown();
                    });
            await(done);
          });
      h.request("nested-executors", () -> nestedExecutors(h));
      h.request(
          "thread-start",
          () -> {
            Thread thread = new Thread(() -> h.httpCall("thread-start"), "plain-thread");
            thread.start();
            thread.join();
          });
      timers(h);
      if (Runtime.version().feature() >= 21) {
        VirtualThreads.run(h);
      }
    } finally {
      pool.shutdownNow();
      forkJoin.shutdownNow();
      scheduler.shutdownNow();
    }
  }

  /**
   * {@code java.util.Timer}: one-shot tasks (after a delay, at a date) carry the request; a
   * repeating task on a timer created inside a request carries neither the request nor, through the
   * timer's own thread, anything else.
   */
  private static void timers(Handoffs h) throws Exception {
    Timer timer = new Timer("app-timer", true);
    try {
      h.request(
          "timer-schedule",
          () -> {
            CountDownLatch done = new CountDownLatch(1);
            timer.schedule(callOnce(h, "timer-schedule", done), 10);
            await(done);
          });
      h.request(
          "timer-schedule-date",
          () -> {
            CountDownLatch done = new CountDownLatch(1);
            timer.schedule(callOnce(h, "timer-schedule-date", done), new Date());
            await(done);
          });
    } finally {
      timer.cancel();
    }
    AtomicReference<Timer> created = new AtomicReference<>();
    h.request(
        "timer-fixed-rate",
        () -> {
          CountDownLatch once = new CountDownLatch(1);
          created.set(new Timer("request-timer", true));
          AtomicBoolean first = new AtomicBoolean(true);
          created
              .get()
              .scheduleAtFixedRate(
                  new AppTimerTask(
                      () -> {
                        if (first.compareAndSet(true, false)) {
                          h.httpCall("timer-fixed-rate");
                          once.countDown();
                        }
                      }),
                  0,
                  5);
          await(once);
        });
    created.get().cancel();
  }

  private static TimerTask callOnce(Handoffs h, String pattern, CountDownLatch done) {
    return new AppTimerTask(
        () -> {
          h.httpCall(pattern);
          done.countDown();
        });
  }

  private static void subclassHooks(Handoffs h) throws Exception {
    HookedPool hooked = new HookedPool();
    CountDownLatch done = new CountDownLatch(1);
    Runnable task =
        () -> {
          h.httpCall("tpe-subclass-hooks");
          done.countDown();
        };
    hooked.execute(task);
    await(done);
    hooked.shutdown();
    hooked.awaitTermination(WAIT, TimeUnit.SECONDS);
    System.out.println(
        "hooks saw own runnable: "
            + (hooked.seenBefore.get() == task && hooked.seenAfter.get() == task));
  }

  private static void parallelStream(Handoffs h) {
    AtomicBoolean called = new AtomicBoolean();
    IntStream.range(0, 400)
        .parallel()
        .forEach(
            i -> {
              // The call is made from a pool worker, never from the calling thread (which also
              // takes elements).
              if (Thread.currentThread() instanceof ForkJoinWorkerThread
                  && called.compareAndSet(false, true)) {
                h.jdbcCall("parallel-stream");
              }
              sleepQuietly();
            });
    System.out.println("parallel stream reached a worker: " + called.get());
  }

  private static void nestedExecutors(Handoffs h) throws Exception {
    HookedPool inner = new HookedPool();
    CountDownLatch done = new CountDownLatch(1);
    Executor outer = new DelegatingExecutor(new DelegatingExecutor(inner));
    outer.execute(
        () -> {
          h.httpCall("nested-executors");
          done.countDown();
        });
    await(done);
    inner.shutdown();
    int layers = 0;
    for (Runnable r = inner.seenBefore.get();
        r instanceof ContextRunnableTask;
        r = ((ContextRunnableTask) r).delegate()) {
      layers++;
    }
    System.out.println("nested executors wrapped " + layers + " time(s)");
  }

  static void await(CountDownLatch latch) throws InterruptedException {
    if (!latch.await(WAIT, TimeUnit.SECONDS)) {
      throw new IllegalStateException("task did not run");
    }
  }

  private static void sleepQuietly() {
    try {
      Thread.sleep(1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Forks a child and waits for it without joining, so that another worker has to steal and run it.
   */
  static final class ForkingAction extends RecursiveAction {
    private static final long serialVersionUID = 1L;
    private final transient Handoffs h;
    private final String pattern;

    ForkingAction(Handoffs h, String pattern) {
      this.h = h;
      this.pattern = pattern;
    }

    @Override
    protected void compute() {
      CountDownLatch done = new CountDownLatch(1);
      RecursiveAction child =
          new RecursiveAction() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void compute() {
              h.httpCall(pattern);
              done.countDown();
            }
          };
      child.fork();
      try {
        await(done);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      child.join();
    }
  }
}
