package dev.threadline.benchmarks.correlate;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The correlator on one thread with the WebShop's mix: each invocation replays {@value #REQUESTS}
 * requests' worth of S spans, A-span exports and sweeps ({@link WebShopTraffic}, {@value
 * #REQUESTS_PER_SECOND} requests a simulated second, so about 52,000 S spans wait in their 15 s
 * join window at the steady state) into a fresh store and correlator, then flushes it. The score is
 * in S spans per second; {@code join} includes storing the A spans and the sweeps, {@code
 * aSpansOnly} is that part alone (same steps without the S spans, same ops count) for comparison.
 *
 * <p>After each invocation the teardown checks that the joins were made (every S span settled
 * joined, every request one trace under its application trace id with exactly its spans under the
 * right parents) and fails the run otherwise.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CorrelatorBenchmark {
  static final int REQUESTS = 4000;

  /** Ten times the WebShop's peak (about 15 requests a second on this machine). */
  static final int REQUESTS_PER_SECOND = 150;

  static final int S_SPANS = REQUESTS * WebShopTraffic.S_SPANS_PER_REQUEST;
  static final long SEED = 17;

  private WebShopTraffic traffic;
  private Path proc;
  private Replay replay;
  private boolean joining;
  private int verified;

  @Setup(Level.Trial)
  public void generate() {
    traffic = WebShopTraffic.generate(REQUESTS, REQUESTS_PER_SECOND, SEED);
    proc = ProcDir.create();
    System.out.println("traffic: " + traffic.describe());
  }

  @Setup(Level.Invocation)
  public void fresh() {
    replay = new Replay(proc);
  }

  @Benchmark
  @OperationsPerInvocation(S_SPANS)
  public long join() {
    joining = true;
    replay.run(traffic.steps(), true, Long.MAX_VALUE);
    replay.correlator.flush();
    return replay.settled.get();
  }

  @Benchmark
  @OperationsPerInvocation(S_SPANS)
  public long aSpansOnly() {
    joining = false;
    replay.run(traffic.steps(), false, Long.MAX_VALUE);
    return replay.store.spanCount();
  }

  @TearDown(Level.Invocation)
  public void check() {
    if (joining) {
      replay.verify(traffic);
    } else {
      replay.verifyASpansOnly(traffic);
    }
    if (verified++ == 0 && joining) {
      System.out.println("joins by rule (one invocation): " + replay.joinsByRule());
    }
  }

  @TearDown(Level.Trial)
  public void done() {
    ProcDir.delete(proc);
    if (verified == 0) {
      throw new IllegalStateException("no invocation was checked");
    }
    System.out.println("checked " + verified + " invocations: all requests joined as they must be");
  }
}
