package dev.threadline.bridge.ringbuf;

import dev.threadline.bridge.loader.BridgeUnavailableException;
import dev.threadline.bridge.loader.SocketTraceProgram;
import dev.threadline.bridge.loader.TraceConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.TimeUnit;
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
 * Cost per record of draining the BPF ring buffer: libbpf's callback ({@code ring_buffer__consume},
 * one native-to-Java upcall per record) against reading the mapped ring directly. Each invocation
 * drains exactly {@link #EVENTS} records that the real BPF program produced from real writes.
 *
 * <p>Needs root and a kernel with BTF. Run: {@code java -cp <test classpath> org.openjdk.jmh.Main
 * RingReaderBenchmark} (see docs/ebpf-bridge.md for the command and the numbers).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RingReaderBenchmark {
  static final int EVENTS = 2000;

  @Param({"mapped", "libbpf"})
  public String reader;

  private SocketTraceProgram program;
  private RingReader ring;
  private ServerSocketChannel server;
  private SocketChannel client;
  private SocketChannel accepted;
  private final ByteBuffer payload = ByteBuffer.allocate(64);
  private final ByteBuffer sinkBuffer = ByteBuffer.allocate(1 << 20);
  private long bytesSeen;

  @Setup(Level.Trial)
  public void load() throws IOException, BridgeUnavailableException {
    server = ServerSocketChannel.open();
    server.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
    int self = (int) ProcessHandle.current().pid();
    program = SocketTraceProgram.load(new TraceConfig(64, Set.of(self), Set.of(port), self));
    RingBufferConsumer.ReaderFactory factory =
        reader.equals("mapped")
            ? RingReaders.mapped(program)
            : sink -> new LibbpfRingReader(program.libBpf(), program.eventsMapFd(), sink);
    ring = factory.open(record -> bytesSeen += record.length);
    client = SocketChannel.open(server.getLocalAddress());
    accepted = server.accept();
    accepted.configureBlocking(false);
  }

  @Setup(Level.Invocation)
  public void produce() throws IOException {
    // Empty the receiver (its reads are traced too), drop those events, then make exactly EVENTS.
    sinkBuffer.clear();
    while (accepted.read(sinkBuffer) > 0) {
      sinkBuffer.clear();
    }
    ring.drain();
    for (int i = 0; i < EVENTS; i++) {
      payload.clear();
      client.write(payload);
    }
  }

  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public int drain() {
    int n = ring.drain();
    if (n != EVENTS) {
      throw new IllegalStateException(
          "drained " + n + " records, expected " + EVENTS + " (lost " + program.lostEvents() + ")");
    }
    return n;
  }

  @TearDown(Level.Trial)
  public void unload() throws IOException {
    ring.close();
    program.close();
    client.close();
    accepted.close();
    server.close();
  }
}
