package dev.threadline.bridge.span;

import dev.threadline.bridge.decode.EventDecoder;
import dev.threadline.bridge.loader.BridgeUnavailableException;
import dev.threadline.bridge.loader.SocketTraceProgram;
import dev.threadline.bridge.loader.TraceConfig;
import dev.threadline.bridge.ringbuf.RingBufferConsumer;
import dev.threadline.bridge.ringbuf.RingReaders;
import java.util.function.Consumer;

/**
 * The whole kernel-to-span pipeline: BPF program, ring-buffer consumer, decoder, assembler. Spans
 * are delivered on the consumer thread. {@link #close()} detaches and flushes.
 */
public final class SocketTracer implements AutoCloseable {
  private final SocketTraceProgram program;
  private final RingBufferConsumer consumer;
  private final SpanAssembler assembler;

  private SocketTracer(
      SocketTraceProgram program, RingBufferConsumer consumer, SpanAssembler assembler) {
    this.program = program;
    this.consumer = consumer;
    this.assembler = assembler;
  }

  /**
   * Loads and attaches; spans go to {@code sink}. Throws (never crashes) when the kernel side
   * cannot run.
   */
  public static SocketTracer start(TraceConfig config, Consumer<SSpan> sink)
      throws BridgeUnavailableException {
    SocketTraceProgram program = SocketTraceProgram.load(config);
    SpanAssembler assembler = new SpanAssembler(sink);
    try {
      RingBufferConsumer consumer =
          RingBufferConsumer.start(
              RingReaders.mapped(program), record -> assembler.accept(EventDecoder.decode(record)));
      return new SocketTracer(program, consumer, assembler);
    } catch (BridgeUnavailableException | RuntimeException e) {
      program.close();
      throw e;
    }
  }

  /** Events dropped because the ring buffer was full. */
  public long lostEvents() {
    return program.lostEvents();
  }

  /** First error raised while consuming, or null. */
  public Throwable failure() {
    return consumer.failure();
  }

  /** Adds a process to a listed-pids filter. */
  public void addPid(int pid) {
    program.addPid(pid);
  }

  @Override
  public void close() {
    // Detach first so no new events arrive, drain what is in the ring, then free the object.
    program.detach();
    consumer.close();
    program.close();
    assembler.flush();
  }
}
