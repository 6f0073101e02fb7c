package dev.threadline.benchmarks.executor;

import io.opentelemetry.context.Scope;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Submit and run of a no-op task through a one-thread {@link ThreadPoolExecutor}, the task wrapped
 * by each {@link Propagation}. Tasks go in batches of {@value #BATCH} (then the benchmark waits for
 * the batch), so the figure is the per-task cost of the hand-off, propagation included, rather than
 * one thread wake-up per task.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(org.openjdk.jmh.annotations.Scope.Thread)
public class ExecutorHandoffBenchmark {
  static final int BATCH = 100;

  @Param({"NONE", "THREADLINE", "TTL", "OTEL_WRAP"})
  public Propagation propagation;

  @Param({"false", "true"})
  public boolean span;

  private ThreadPoolExecutor pool;
  private Scope request;
  private final AtomicInteger done = new AtomicInteger();
  private final Runnable task = done::incrementAndGet;

  @Setup(Level.Trial)
  public void setUp() {
    pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
    pool.prestartAllCoreThreads();
    if (span) {
      request = Propagation.enterRequest();
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws InterruptedException {
    if (request != null) {
      request.close();
    }
    pool.shutdown();
    pool.awaitTermination(10, TimeUnit.SECONDS);
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void submitAndRun() {
    int target = done.get() + BATCH;
    for (int i = 0; i < BATCH; i++) {
      pool.execute(propagation.wrap(task));
    }
    while (done.get() < target) {
      // Yield rather than spin: on a small machine a spinning caller would take the worker's core.
      Thread.yield();
    }
  }
}
