package dev.threadline.bridge.testing;

import dev.threadline.bridge.decode.EventDecoder;
import dev.threadline.bridge.decode.SocketEvent;
import dev.threadline.bridge.loader.BridgeUnavailableException;
import dev.threadline.bridge.loader.SocketTraceProgram;
import dev.threadline.bridge.loader.TraceConfig;
import dev.threadline.bridge.ringbuf.LibbpfRingReader;
import dev.threadline.bridge.ringbuf.RingBufferConsumer;
import dev.threadline.bridge.ringbuf.RingReaders;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** The loaded program plus a consumer that keeps every decoded event, for kernel-level tests. */
public final class RawEvents implements AutoCloseable {
  private final SocketTraceProgram program;
  private final RingBufferConsumer consumer;
  private final List<SocketEvent> events = new ArrayList<>();

  /** Reads through the memory-mapped ring (the production reader). */
  public RawEvents(TraceConfig config) throws BridgeUnavailableException {
    this(config, true);
  }

  /** {@code mapped} false: through libbpf's ring_buffer__poll callback instead. */
  public RawEvents(TraceConfig config, boolean mapped) throws BridgeUnavailableException {
    program = SocketTraceProgram.load(config);
    consumer =
        RingBufferConsumer.start(
            mapped
                ? RingReaders.mapped(program)
                : sink -> new LibbpfRingReader(program.libBpf(), program.eventsMapFd(), sink),
            record -> {
              SocketEvent e = EventDecoder.decode(record);
              synchronized (events) {
                events.add(e);
                events.notifyAll();
              }
            });
  }

  public SocketTraceProgram program() {
    return program;
  }

  /** Waits until at least {@code count} events match; returns the matching ones. */
  public List<SocketEvent> await(Predicate<SocketEvent> filter, int count, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (events) {
      while (true) {
        List<SocketEvent> out = new ArrayList<>();
        for (SocketEvent e : events) {
          if (filter.test(e)) {
            out.add(e);
          }
        }
        long left = deadline - System.nanoTime();
        if (out.size() >= count || left <= 0) {
          return out;
        }
        events.wait(Math.max(1, left / 1_000_000));
      }
    }
  }

  /**
   * Waits for the first event matching {@code marker} and returns the events matching {@code
   * filter} delivered before it. Records leave the ring in the order the kernel wrote them, so when
   * the marker's syscall came after the events that must (not) be there, the list is complete:
   * absence is shown without a quiet window. Throws when the marker does not arrive.
   */
  public List<SocketEvent> before(
      Predicate<SocketEvent> marker, Predicate<SocketEvent> filter, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (events) {
      while (true) {
        List<SocketEvent> out = new ArrayList<>();
        for (SocketEvent e : events) {
          if (marker.test(e)) {
            return out;
          }
          if (filter.test(e)) {
            out.add(e);
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("the marker event did not arrive within " + timeout);
        }
        events.wait(Math.max(1, left / 1_000_000));
      }
    }
  }

  @Override
  public void close() {
    consumer.close();
    program.close();
  }
}
