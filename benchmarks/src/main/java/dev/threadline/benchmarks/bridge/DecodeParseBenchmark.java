package dev.threadline.benchmarks.bridge;

import dev.threadline.bridge.decode.EventDecoder;
import dev.threadline.bridge.loader.SocketTraceProgram;
import dev.threadline.bridge.loader.TraceConfig;
import dev.threadline.bridge.ringbuf.RingReader;
import dev.threadline.bridge.ringbuf.RingReaders;
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
