package dev.threadline.benchmarks.executor;

import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.context.Scope;
import java.util.concurrent.CompletableFuture;
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
 * by each {@link Propagation} (or, for {@link Propagation#AGENT_POOL}, handed to a pool that does
 * what the agent's advice adds to every {@code ThreadPoolExecutor}). Tasks go in batches of {@value
 * #BATCH} (then the benchmark waits for the batch), so the figure is the per-task cost of the
 * hand-off, propagation included, rather than one thread wake-up per task. Each submission is a new
 * task object, as an application's {@code pool.execute(() -> handle(request))} makes one.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(org.openjdk.jmh.annotations.Scope.Thread)
public class ExecutorHandoffBenchmark {
  static final int BATCH = 100;

  @Param({"NONE", "THREADLINE", "AGENT_POOL", "TTL", "OTEL_WRAP"})
  public Propagation propagation;

  @Param({"false", "true"})
  public boolean span;

  private ThreadPoolExecutor pool;
  private Scope request;
  private final AtomicInteger done = new AtomicInteger();

  @Setup(Level.Trial)
  public void setUp() {
    pool = propagation.newPool();
    pool.prestartAllCoreThreads();
    if (span) {
      request = propagation.enterRequest();
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    checkHandOff();
    if (request != null) {
      request.close();
    }
    pool.shutdown();
    pool.awaitTermination(10, TimeUnit.SECONDS);
  }

  /**
   * Fails the trial unless a task submitted the benchmark's way ran in the submitter's trace (or,
   * for {@link Propagation#NONE}, in none): the figures are of a hand-off that carried the context.
   */
  private void checkHandOff() throws Exception {
    String expected =
        span && propagation != Propagation.NONE ? Propagation.TRACE_ID : TraceId.getInvalid();
    CompletableFuture<String> seen = new CompletableFuture<>();
    pool.execute(propagation.wrap(() -> seen.complete(propagation.currentTraceId())));
    String traceId = seen.get(10, TimeUnit.SECONDS);
    if (!traceId.equals(expected)) {
      throw new IllegalStateException(
          propagation + " ran the task in trace " + traceId + ", expected " + expected);
    }
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void submitAndRun() {
    int target = done.get() + BATCH;
    for (int i = 0; i < BATCH; i++) {
      // A lambda that uses a field captures `this`: a new object per submission, as in an
      // application (a shared instance would hide the agent's per-object map behind its wrapper).
      pool.execute(propagation.wrap(() -> done.incrementAndGet()));
    }
    while (done.get() < target) {
      // Yield rather than spin: on a small machine a spinning caller would take the worker's core.
      Thread.yield();
    }
  }
}
