package dev.threadline.benchmarks.bridge;

import dev.threadline.bridge.loader.SocketTraceProgram;
import dev.threadline.bridge.loader.TraceConfig;
import dev.threadline.bridge.ringbuf.RingReader;
import dev.threadline.bridge.ringbuf.RingReaders;
import dev.threadline.bridge.span.SocketTracer;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What the kernel bridge adds to each traced syscall: a loopback HTTP exchange (request write and read, response
 * write and read) with the bridge detached and attached in the same run. Attached means the whole pipeline: the
 * BPF programs on every syscall tracepoint, the ring buffer, and the consumer thread decoding, parsing and
 * pairing into S spans. The score is per syscall (4 per exchange).
 *
 * <p>Needs root (or CAP_BPF + CAP_PERFMON) and a kernel with BTF.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SyscallOverheadBenchmark {
  /**
   * {@code attached}: the whole bridge, payload capture at its default (1024 bytes); {@code attached-no-payload}:
   * N = 0; {@code kernel-only}: the BPF programs and the ring buffer, read by a thread that drops every record (no
   * decoding, parsing or pairing), which separates the kernel's share from the user-space pipeline's.
   */
  @Param({"detached", "attached", "attached-no-payload", "kernel-only"})
  public String bridge;

  private LoopbackHttp http;
  private SocketTracer tracer;
  private SocketTraceProgram program;
  private Thread drainer;
  private volatile boolean draining = true;
  private long records;
  private final LongAdder spans = new LongAdder();

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    http = new LoopbackHttp();
    if (bridge.equals("kernel-only")) {
      int self = (int) ProcessHandle.current().pid();
      program = SocketTraceProgram.load(
          new TraceConfig(TraceConfig.DEFAULT_CAPTURE, Set.of(self), Set.of(http.port()), -1));
      RingReader ring = RingReaders.mapped(program).open(record -> records++);
      drainer = new Thread(() -> {
        while (draining) {
          ring.poll(10);
        }
        ring.close();
      }, "ring-drainer");
      drainer.setDaemon(true);
      drainer.start();
    } else if (bridge.startsWith("attached")) {
      int self = (int) ProcessHandle.current().pid();
      int capture = bridge.equals("attached") ? TraceConfig.DEFAULT_CAPTURE : 0;
      tracer = SocketTracer.start(
          new TraceConfig(capture, Set.of(self), Set.of(http.port()), -1),
          span -> spans.increment());
    }
  }

  @Benchmark
  @OperationsPerInvocation(4)
  public int exchange() throws Exception {
    return http.exchange();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    if (program != null) {
      draining = false;
      drainer.join();
      System.out.printf("%n[kernel only: %d records read, %d lost]%n", records, program.lostEvents());
      program.close();
    }
    if (tracer != null) {
      Thread.sleep(200);
      tracer.close();
      System.out.printf("%n[bridge attached: %d S spans made, %d events lost]%n", spans.sum(), tracer.lostEvents());
      // Without payload nothing can be parsed as HTTP, and L4 spans come only when the connection closes.
      if (bridge.equals("attached") && spans.sum() == 0) {
        throw new IllegalStateException("the bridge made no span: the attached run measured nothing");
      }
    }
    http.close();
  }
}
