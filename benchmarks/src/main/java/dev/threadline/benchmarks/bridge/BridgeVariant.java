package dev.threadline.benchmarks.bridge;

import dev.threadline.bridge.decode.EventDecoder;
import dev.threadline.bridge.decode.ThreadStamp;
import dev.threadline.bridge.loader.SocketTraceProgram;
import dev.threadline.bridge.loader.ThreadContextRegions;
import dev.threadline.bridge.loader.TraceConfig;
import dev.threadline.bridge.ringbuf.RingBufferConsumer;
import dev.threadline.bridge.ringbuf.RingReaders;
import dev.threadline.bridge.span.SSpan;
import dev.threadline.bridge.span.SpanAssembler;
import dev.threadline.sdk.context.ContextSwitchHook;
import dev.threadline.sdk.context.ThreadContextPublisher;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * The whole bridge on this process and the exchange's port, as SocketTracer runs it: programs, ring
 * buffer, and the consumer thread decoding, parsing and pairing into S spans. {@link #stamped} adds
 * what a traced JVM brings: this process publishes its threads' context in a thread-context region
 * the program knows, and the timing thread is inside a span while attached, so every traced syscall
 * reads and stamps the thread's record.
 */
final class BridgeVariant implements Variant {
  private final String name;
  private final SocketTraceProgram program;
  private final RingBufferConsumer consumer;
  private final LongAdder spans;
  private final AtomicReference<RuntimeException> malformed;
  private final Span span; // null: not stamped
  private Scope scope;

  private BridgeVariant(
      String name,
      SocketTraceProgram program,
      RingBufferConsumer consumer,
      LongAdder spans,
      AtomicReference<RuntimeException> malformed,
      Span span) {
    this.name = name;
    this.program = program;
    this.consumer = consumer;
    this.spans = spans;
    this.malformed = malformed;
    this.span = span;
  }

  /** The bridge tracing a process that publishes no thread context (the lookup misses). */
  static Variant plain(int port) throws Exception {
    return start(
        "bridge (payload capture " + TraceConfig.DEFAULT_CAPTURE + " B)", port, null, null);
  }

  /** The bridge tracing a process whose timing thread is inside a span: every event is stamped. */
  static Variant stamped(int port) throws Exception {
    if (!ContextSwitchHook.install()) {
      throw new IllegalStateException("the context-switch hook came too late");
    }
    Path dir = Files.createTempDirectory("threadline-harness");
    ThreadContextPublisher publisher = ThreadContextPublisher.open(dir, 4096);
    if (!publisher.isActive()) {
      throw new IllegalStateException("no thread-context region in " + dir);
    }
    ContextSwitchHook.addListener(publisher);
    Span span =
        SdkTracerProvider.builder()
            .addSpanProcessor(new Discarding())
            .build()
            .get("harness")
            .spanBuilder("exchange")
            .startSpan();
    return start("bridge, thread context stamped", port, span, dir);
  }

  private static Variant start(String name, int port, Span span, Path regionDir) throws Exception {
    int self = (int) ProcessHandle.current().pid();
    SocketTraceProgram program =
        SocketTraceProgram.load(
            new TraceConfig(TraceConfig.DEFAULT_CAPTURE, Set.of(self), Set.of(port), -1));
    if (regionDir != null) {
      ThreadContextRegions regions = ThreadContextRegions.forProgram(program, List.of(regionDir));
      regions.scan();
      if (!regions.registeredPids().contains(self)) {
        throw new IllegalStateException("the harness's thread-context region was not registered");
      }
    }
    SpanContext expected = span == null ? null : span.getSpanContext();
    LongAdder spans = new LongAdder();
    AtomicReference<RuntimeException> malformed = new AtomicReference<>();
    SpanAssembler assembler =
        new SpanAssembler(
            made -> {
              spans.increment();
              try {
                LoopbackHttp.checkSpan(made);
                checkStamps(made, expected);
              } catch (RuntimeException e) {
                malformed.compareAndSet(null, e);
              }
            });
    RingBufferConsumer consumer =
        RingBufferConsumer.start(
            RingReaders.mapped(program), record -> assembler.accept(EventDecoder.decode(record)));
    return new BridgeVariant(name, program, consumer, spans, malformed, span);
  }

  /** Stamped: both sides name the timing thread's span; plain: neither side has a stamp. */
  private static void checkStamps(SSpan made, SpanContext expected) {
    for (ThreadStamp stamp : new ThreadStamp[] {made.requestStamp(), made.responseStamp()}) {
      boolean ok =
          expected == null
              ? stamp == null
              : stamp != null
                  && stamp.traceId().equals(expected.getTraceId())
                  && stamp.spanId().equals(expected.getSpanId());
      if (!ok) {
        throw new IllegalStateException(
            "S span stamped " + stamp + ", expected " + (expected == null ? "none" : expected));
      }
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void attach() throws Exception {
    program.attach();
    if (span != null) {
      scope = span.makeCurrent(); // on the timing thread, until detach
    }
  }

  @Override
  public void detach() {
    if (scope != null) {
      scope.close();
      scope = null;
    }
    program.detach();
  }

  @Override
  public void verify() {
    consumer.close();
    if (malformed.get() != null) {
      throw malformed.get();
    }
    long lost = program.lostEvents();
    if (spans.sum() == 0 || lost != 0 || consumer.failure() != null) {
      throw new IllegalStateException(
          name
              + " made "
              + spans.sum()
              + " spans, lost "
              + lost
              + " events, consumer failure "
              + consumer.failure());
    }
    System.out.printf(
        "[%s: %d S spans made, each GET /items/42 -> 200 with exact sizes and %s, 0 events lost]%n",
        name, spans.sum(), span == null ? "no stamp" : "both sides stamped with the thread's span");
  }

  @Override
  public void close() {
    consumer.close();
    program.close();
  }

  /** Keeps nothing: the SDK needs a processor to hand out spans with ids. */
  private static final class Discarding implements io.opentelemetry.sdk.trace.SpanProcessor {
    @Override
    public void onStart(
        io.opentelemetry.context.Context parent, io.opentelemetry.sdk.trace.ReadWriteSpan span) {}

    @Override
    public boolean isStartRequired() {
      return false;
    }

    @Override
    public void onEnd(io.opentelemetry.sdk.trace.ReadableSpan span) {}

    @Override
    public boolean isEndRequired() {
      return false;
    }
  }
}
