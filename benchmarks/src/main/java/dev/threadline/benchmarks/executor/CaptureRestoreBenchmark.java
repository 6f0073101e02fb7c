package dev.threadline.benchmarks.executor;

import io.opentelemetry.context.Scope;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The bare cost of propagation, without any thread hop: capture (wrap a task) then restore around
 * its run, on one thread. {@code span=false}: no request is active (most background work); {@code
 * span=true}: a span is current.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(org.openjdk.jmh.annotations.Scope.Thread)
public class CaptureRestoreBenchmark {

  @Param({"NONE", "THREADLINE", "TTL", "OTEL_WRAP"})
  public Propagation propagation;

  @Param({"false", "true"})
  public boolean span;

  private Scope request;
  private Blackhole blackhole;
  private Runnable task;

  @Setup(Level.Trial)
  public void setUp(Blackhole blackhole) {
    this.blackhole = blackhole;
    this.task = () -> this.blackhole.consume(1);
    if (span) {
      request = propagation.enterRequest();
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    if (request != null) {
      request.close();
    }
  }

  @Benchmark
  public void captureAndRun() {
    propagation.wrap(task).run();
  }
}
