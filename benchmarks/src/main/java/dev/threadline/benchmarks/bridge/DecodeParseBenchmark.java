package dev.threadline.benchmarks.bridge;

import dev.threadline.bridge.decode.EventDecoder;
import dev.threadline.bridge.loader.SocketTraceProgram;
import dev.threadline.bridge.loader.TraceConfig;
import dev.threadline.bridge.ringbuf.RingReader;
import dev.threadline.bridge.ringbuf.RingReaders;
import dev.threadline.bridge.span.SSpan;
import dev.threadline.bridge.span.SpanAssembler;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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
 * The user-space half of the bridge on one core: decoding ring-buffer records into events and
 * turning them into S spans (HTTP parsing and request/response pairing per socket). The records are
 * real: captured once from the BPF program while this process ran {@value #EXCHANGES} keep-alive
 * HTTP exchanges over loopback. The score is per event; 1,000,000 events/s per core is 1000 ns.
 *
 * <p>Needs root (or CAP_BPF + CAP_PERFMON) and a kernel with BTF, for the capture.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DecodeParseBenchmark {
  static final int EXCHANGES = 1000;

  /** Four syscalls per exchange, each one event. */
  static final int EVENTS = EXCHANGES * 4;

  /** A c-p and an s-p per exchange (both ends are in this process). */
  static final int SPANS = EXCHANGES * 2;

  private final List<byte[]> records = new ArrayList<>();
  private SpanAssembler assembler;
  private long spans;

  @Setup(Level.Trial)
  public void capture() throws Exception {
    try (LoopbackHttp http = new LoopbackHttp()) {
      int self = (int) ProcessHandle.current().pid();
      try (SocketTraceProgram program =
              SocketTraceProgram.load(
                  new TraceConfig(
                      TraceConfig.DEFAULT_CAPTURE, Set.of(self), Set.of(http.port()), -1));
          RingReader ring = RingReaders.mapped(program).open(records::add)) {
        for (int i = 0; i < EXCHANGES; i++) {
          http.exchange();
          ring.drain();
        }
        ring.drain();
      }
    }
    if (records.size() != EVENTS) {
      throw new IllegalStateException(
          "captured " + records.size() + " records, expected " + EVENTS);
    }
    checkSpans();
  }

  /**
   * The input must be what the score claims: the captured records make one c-p and one s-p per
   * exchange, each a well-formed GET -> 200 with exact sizes (no parser resync on the way).
   */
  private void checkSpans() {
    List<SSpan> made = new ArrayList<>();
    SpanAssembler check = new SpanAssembler(made::add);
    for (byte[] record : records) {
      check.accept(EventDecoder.decode(record));
    }
    made.forEach(LoopbackHttp::checkSpan);
    if (made.size() != SPANS) {
      throw new IllegalStateException("the records made " + made.size() + " spans, not " + SPANS);
    }
  }

  @TearDown(Level.Iteration)
  public void spansWereMade() {
    if (spans == 0) {
      throw new IllegalStateException("the measured loop made no span");
    }
  }

  @Setup(Level.Invocation)
  public void freshAssembler() {
    assembler = new SpanAssembler(span -> spans++);
  }

  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public long decodeAndAssemble() {
    for (byte[] record : records) {
      assembler.accept(EventDecoder.decode(record));
    }
    return spans;
  }
}
