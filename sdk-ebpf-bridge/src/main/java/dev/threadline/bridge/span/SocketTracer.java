package dev.threadline.bridge.span;

import dev.threadline.bridge.decode.EventDecoder;
import dev.threadline.bridge.loader.BridgeUnavailableException;
import dev.threadline.bridge.loader.PayloadReductions;
import dev.threadline.bridge.loader.SocketTraceProgram;
import dev.threadline.bridge.loader.ThreadContextRegions;
import dev.threadline.bridge.loader.TraceConfig;
import dev.threadline.bridge.ringbuf.RingBufferConsumer;
import dev.threadline.bridge.ringbuf.RingReaders;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The whole kernel-to-span pipeline: BPF program, ring-buffer consumer, decoder, assembler. Spans
 * are delivered on the consumer thread. {@link #close()} detaches and flushes.
 */
public final class SocketTracer implements AutoCloseable {
  /** How often new and exited thread-context regions are looked for. */
  static final long DISCOVERY_PERIOD_MS = 250;

  private final SocketTraceProgram program;
  private final RingBufferConsumer consumer;
  private final SpanAssembler assembler;
  private final ThreadContextRegions regions;
  private final ScheduledExecutorService discovery;

  private SocketTracer(
      SocketTraceProgram program, RingBufferConsumer consumer, SpanAssembler assembler) {
    this.program = program;
    this.consumer = consumer;
    this.assembler = assembler;
    this.regions = ThreadContextRegions.forProgram(program, regionDirectories());
    this.discovery =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread t = new Thread(task, "threadline-context-discovery");
              t.setDaemon(true);
              return t;
            });
    discovery.scheduleWithFixedDelay(
        this::discoverRegions, 0, DISCOVERY_PERIOD_MS, TimeUnit.MILLISECONDS);
  }

  /**
   * /dev/shm, where processes create their thread-context regions, and the directory that
   * THREADLINE_CONTEXT_REGION_DIR names when it is set (as for the traced apps).
   */
  static List<Path> regionDirectories() {
    String configured = System.getenv("THREADLINE_CONTEXT_REGION_DIR");
    if (configured == null || configured.isBlank()) {
      configured = System.getProperty("threadline.context.region.dir");
    }
    return configured == null || configured.isBlank()
        ? List.of(Path.of("/dev/shm"))
        : List.of(Path.of("/dev/shm"), Path.of(configured));
  }

  private void discoverRegions() {
    try {
      regions.scan();
    } catch (RuntimeException e) {
      // Discovery must never stop tracing: a region missed now is found on a later pass.
    }
  }

  /** Processes whose thread-context region is registered now (their events carry stamps). */
  public Set<Integer> contextRegionPids() {
    return regions.registeredPids();
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

  /** Sends and receives whose payload was cut (not dropped) because the ring was filling up. */
  public PayloadReductions payloadReductions() {
    return program.payloadReductions();
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
    discovery.shutdownNow();
    // Detach first so no new events arrive, drain what is in the ring, then free the object.
    program.detach();
    consumer.close();
    program.close();
    assembler.flush();
  }
}
