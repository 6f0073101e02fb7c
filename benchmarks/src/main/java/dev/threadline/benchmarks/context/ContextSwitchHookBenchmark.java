package dev.threadline.benchmarks.context;

import dev.threadline.sdk.context.ContextSwitchHook;
import dev.threadline.sdk.context.ContextSwitchListener;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of one context attach + restore ({@code try (Scope s = ctx.makeCurrent()) {}}, the context
 * holding a span), which every instrumented call pays at least once:
 *
 * <ul>
 *   <li>{@code none}: plain OpenTelemetry, no storage wrapper;
 *   <li>{@code hookInstalledNoListener}: {@link ContextSwitchHook} installed, no listener (the
 *       default state of an application without the kernel bridge);
 *   <li>{@code hookWithListener}: one listener doing a trivial field store.
 * </ul>
 *
 * <p>The storage wrapper is JVM-global and only applied if added before OpenTelemetry's context
 * storage is first used. JMH runs each {@code mode} in its own forked JVM, and nothing here touches
 * the context before {@link #setUp()}, so the install happens in time; {@link #setUp()} fails the
 * run if it did not (or, with {@code -f 0}, if an earlier mode already installed the hook in this
 * JVM).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
public class ContextSwitchHookBenchmark {

  @Param({"none", "hookInstalledNoListener", "hookWithListener"})
  public String mode;

  // Built in setUp, never in a field initializer: creating a Context initializes the storage.
  private Context context;
  private final StoringListener listener = new StoringListener();

  @Setup(Level.Trial)
  public void setUp() {
    switch (mode) {
      case "none":
        break;
      case "hookInstalledNoListener":
        requireInstalled();
        break;
      case "hookWithListener":
        requireInstalled();
        ContextSwitchHook.addListener(listener);
        break;
      default:
        throw new IllegalArgumentException("unknown mode " + mode);
    }
    SpanContext spanContext =
        SpanContext.create(
            "4bf92f3577b34da6a3ce929d0e0e4736",
            "00f067aa0ba902b7",
            TraceFlags.getSampled(),
            TraceState.getDefault());
    context = Context.root().with(Span.wrap(spanContext));

    String storage = ExpectedStorage.require(mode, !mode.equals("none"));
    System.out.println("# mode=" + mode + " storage=" + storage);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    if (mode.equals("hookWithListener")) {
      ContextSwitchHook.removeListener(listener);
      if (listener.calls == 0) {
        throw new IllegalStateException("the listener was never called");
      }
      System.out.println("# listener calls=" + listener.calls);
    }
  }

  @Benchmark
  @SuppressWarnings("try") // the empty scope is the point
  public void attachRestore() {
    try (Scope scope = context.makeCurrent()) {
      // nothing: the attach and the restore are what is measured
    }
  }

  private static void requireInstalled() {
    if (!ContextSwitchHook.install()) {
      throw new IllegalStateException(
          "ContextStorage was used before setUp(): the hook could not be installed");
    }
  }

  /**
   * The trivial listener: one plain store of the current context, and a counter proving it runs.
   */
  static final class StoringListener implements ContextSwitchListener {
    Context last;
    long calls;

    @Override
    public void onContextSwitch(Context current) {
      last = current;
      calls++;
    }
  }
}
