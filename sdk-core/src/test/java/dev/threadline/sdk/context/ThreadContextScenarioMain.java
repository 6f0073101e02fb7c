package dev.threadline.sdk.context;

import static org.assertj.core.api.Assertions.assertThat;

import dev.threadline.sdk.Threadline;
import dev.threadline.sdk.context.RegionReader.Slot;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextStorage;
import io.opentelemetry.context.Scope;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Thread-context publication in a fresh JVM, where Threadline is the first to touch OpenTelemetry's
 * context, so its hook and publisher are really installed:
 *
 * <ul>
 *   <li>{@code installed <dir>}: {@link Threadline#installFromConfig()} with the region in {@code
 *       dir}; real spans and scopes are checked in the region;
 *   <li>{@code unusable <dir>}: the region cannot be created there: one warning, spans still work;
 *   <li>{@code loop <dir> <n>}: {@code n} attach/restore pairs between two marker syscalls ({@code
 *       stat} of {@code /threadline-marker-begin} and {@code -end}), for strace.
 * </ul>
 *
 * Exits 0 on success, 1 on failure (stack trace on stderr).
 */
@SuppressWarnings("try") // try (Scope ignored = ...) is the idiom
public final class ThreadContextScenarioMain {

  static final String MARKER_BEGIN = "/threadline-marker-begin";
  static final String MARKER_END = "/threadline-marker-end";

  private ThreadContextScenarioMain() {}

  public static void main(String[] args) {
    try {
      Path dir = Path.of(args[1]);
      System.setProperty("threadline.context.region.dir", dir.toString());
      System.setProperty("otel.traces.exporter", "none");
      System.setProperty("otel.service.name", "thread-context-scenario");
      switch (args[0]) {
        case "installed":
          // OpenTelemetry's own thread-local storage, as an application without the SDK's
          // testing module on its class path has (that module brings a storage of its own).
          System.setProperty("io.opentelemetry.context.contextStorageProvider", "default");
          installed(dir);
          break;
        case "unusable":
          unusable();
          break;
        case "loop":
          loop(dir, Integer.parseInt(args[2]));
          break;
        default:
          throw new IllegalArgumentException("unknown scenario " + args[0]);
      }
    } catch (Throwable t) {
      t.printStackTrace();
      System.exit(1);
    }
    System.exit(0);
  }

  private static void installed(Path dir) throws Exception {
    Threadline threadline = Threadline.installFromConfig();
    Path file = dir.resolve(ThreadContextLayout.FILE_PREFIX + ProcessHandle.current().pid());
    assertThat(ThreadContextPublisher.shared().regionPath()).isEqualTo(file);
    RegionReader region = new RegionReader(file);
    assertThat(region.slotCount()).isEqualTo(4096);
    Tracer tracer = threadline.openTelemetry().getTracer("scenario");
    int tid = RegionReader.currentTid();
    Span parent = tracer.spanBuilder("parent").startSpan();
    try (Scope outer = parent.makeCurrent()) {
      assertSlot(region.slotOf(tid), parent.getSpanContext());
      Span child = tracer.spanBuilder("child").startSpan();
      try (Scope inner = child.makeCurrent()) {
        assertSlot(region.slotOf(tid), child.getSpanContext());
      } finally {
        child.end();
      }
      assertSlot(region.slotOf(tid), parent.getSpanContext());
    } finally {
      parent.end();
    }
    assertThat(region.slotOf(tid).valid).isZero();
    assertThat(region.slotOf(tid).ownerStart).isEqualTo(RegionReader.startTicksOf(tid));
    switchesWithoutScope(region, tid, parent);
    threadline.close();
    // The listener is gone with the installation: no more publication.
    Span after = tracer.spanBuilder("after").startSpan();
    try (Scope scope = after.makeCurrent()) {
      assertThat(region.slotOf(tid).valid).isZero();
    }
  }

  /**
   * A worker's switch with no scope ({@link ContextSwitchHook#switchTo}): published like an attach,
   * and, with the hook's own storage in place, nothing allocated for it (an attach allocates its
   * scope, 24 B or more, which the interpreter and the JIT alike keep when it is returned).
   */
  private static void switchesWithoutScope(RegionReader region, int tid, Span span) {
    assertThat(ContextStorage.get()).isInstanceOf(PublishingContextStorage.class);
    Context base = Context.current();
    Context worker = base.with(span);
    ContextSwitchHook.switchTo(worker);
    assertThat(Context.current()).isSameAs(worker);
    assertSlot(region.slotOf(tid), span.getSpanContext());
    ContextSwitchHook.switchTo(base);
    assertThat(Context.current()).isSameAs(base);
    assertThat(region.slotOf(tid).valid).isZero();

    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    int pairs = 100_000;
    long before = threads.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < pairs; i++) {
      ContextSwitchHook.switchTo(worker);
      ContextSwitchHook.switchTo(base);
    }
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertThat(allocated).as("bytes allocated by %d switch pairs", pairs).isLessThan(pairs);
  }

  private static void assertSlot(Slot slot, SpanContext expected) {
    assertThat(slot.valid).as("%s", slot).isEqualTo((byte) 1);
    assertThat(slot.traceId).isEqualTo(expected.getTraceId());
    assertThat(slot.spanId).isEqualTo(expected.getSpanId());
    assertThat(slot.flags).isEqualTo(expected.getTraceFlags().asByte());
  }

  private static void unusable() {
    List<LogRecord> warnings = new CopyOnWriteArrayList<>();
    Logger.getLogger("dev.threadline")
        .addHandler(
            new Handler() {
              @Override
              public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                  warnings.add(record);
                }
              }

              @Override
              public void flush() {}

              @Override
              public void close() {}
            });
    Threadline threadline = Threadline.installFromConfig();
    assertThat(ContextSwitchHook.isInstalled()).isTrue();
    Span span = threadline.openTelemetry().getTracer("scenario").spanBuilder("s").startSpan();
    try (Scope scope = span.makeCurrent()) {
      assertThat(Span.current()).isSameAs(span);
    } finally {
      span.end();
    }
    assertThat(Span.current().getSpanContext().isValid()).isFalse();
    assertThat(ContextSwitchHook.listenerFailureCount()).isZero();
    assertThat(warnings).hasSize(1);
    assertThat(warnings.get(0).getMessage())
        .contains("thread context is not published")
        .contains("threadline.context.region.dir");
    assertThat(ThreadContextPublisher.shared().isActive()).isFalse();
    threadline.close();
  }

  private static void loop(Path dir, int n) throws Exception {
    if (!ContextSwitchHook.install()) {
      throw new AssertionError("the hook could not be installed in a fresh JVM");
    }
    ThreadContextPublisher publisher = ThreadContextPublisher.open(dir, 4096);
    assertThat(publisher.isActive()).isTrue();
    ContextSwitchHook.addListener(publisher);
    Context context = ThreadContextPublisherTest.span("00f067aa0ba902b7");
    // Warm-up: the slot is claimed, classes are loaded and every method on the path is compiled to
    // its last tier before the markers (a compile request wakes a compiler thread: a futex call).
    for (int round = 0; round < 40; round++) {
      pairs(context, 200_000);
    }
    Path begin = Path.of(MARKER_BEGIN);
    Path end = Path.of(MARKER_END);
    boolean exists = Files.exists(begin);
    pairs(context, n);
    exists |= Files.exists(end);
    assertThat(exists).as("marker files must not exist").isFalse();
    RegionReader region = new RegionReader(publisher.regionPath());
    assertThat(region.slotOf(RegionReader.currentTid()).valid).isZero();
    assertThat(publisher.claims()).isEqualTo(1);
    publisher.close();
  }

  private static void pairs(Context context, int n) {
    for (int i = 0; i < n; i++) {
      try (Scope scope = context.makeCurrent()) {
        // the attach and the restore are the work
      }
    }
  }
}
