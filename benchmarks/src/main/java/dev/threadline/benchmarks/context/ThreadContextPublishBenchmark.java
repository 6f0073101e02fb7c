package dev.threadline.benchmarks.context;

import dev.threadline.sdk.context.ContextSwitchHook;
import dev.threadline.sdk.context.ContextSwitchListener;
import dev.threadline.sdk.context.ThreadContextPublisher;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import jnr.ffi.LibraryLoader;
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
 * Cost of one context attach + restore with a span ({@code try (Scope s = ctx.makeCurrent()) {}})
 * when each switch is published to the kernel:
 *
 * <ul>
 *   <li>{@code none}: plain OpenTelemetry, no storage wrapper;
 *   <li>{@code hookNoListener}: {@link ContextSwitchHook} installed, no listener;
 *   <li>{@code publish}: the hook with {@link ThreadContextPublisher}, Threadline's way (plain
 *       stores into the mapped region);
 *   <li>{@code ioctl}: the hook with a listener making one {@code ioctl(fd of /dev/null, 0, 0)} per
 *       switch, the way a peer hands each switch to a kprobe (OBI's Java helper): the same hook
 *       path plus one syscall.
 * </ul>
 *
 * <p>Each {@code mode} runs in its own forked JVM, and nothing touches the context before {@link
 * #setUp()}, which installs the hook and fails the run when the storage is not the expected one.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
public class ThreadContextPublishBenchmark {

  @Param({"none", "hookNoListener", "publish", "ioctl"})
  public String mode;

  private Context context;
  private ThreadContextPublisher publisher;
  private IoctlListener ioctl;
  private Path regionDir;

  /** The one libc call of the peer. */
  public interface LibC {
    int open(String path, int flags);

    int ioctl(int fd, long request, long arg);

    int close(int fd);
  }

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    switch (mode) {
      case "none":
        break;
      case "hookNoListener":
        requireInstalled();
        break;
      case "publish":
        requireInstalled();
        regionDir = Files.createTempDirectory(Path.of("/dev/shm"), "threadline-bench");
        publisher = ThreadContextPublisher.open(regionDir, 4096);
        if (!publisher.isActive()) {
          throw new IllegalStateException("the thread-context region could not be created");
        }
        ContextSwitchHook.addListener(publisher);
        break;
      case "ioctl":
        requireInstalled();
        ioctl = new IoctlListener(LibraryLoader.create(LibC.class).failImmediately().load("c"));
        ContextSwitchHook.addListener(ioctl);
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
    ExpectedStorage.require(mode, !mode.equals("none"));
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    if (publisher != null) {
      ContextSwitchHook.removeListener(publisher);
      // The benchmark thread and JMH's own threads that switched context; none was refused.
      if (publisher.claims() == 0 || publisher.full() != 0) {
        throw new IllegalStateException(
            "claims=" + publisher.claims() + " full=" + publisher.full());
      }
      publisher.close();
      Files.deleteIfExists(regionDir);
    }
    if (ioctl != null) {
      ContextSwitchHook.removeListener(ioctl);
      if (ioctl.calls == 0 || ioctl.failures != ioctl.calls) {
        throw new IllegalStateException(
            "ioctl calls=" + ioctl.calls + " ENOTTY answers=" + ioctl.failures);
      }
      ioctl.close();
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

  /** One {@code ioctl} on /dev/null per switch; it answers ENOTTY (-1), which is counted. */
  static final class IoctlListener implements ContextSwitchListener {
    private final LibC libc;
    private final int fd;
    long calls;
    long failures;

    IoctlListener(LibC libc) {
      this.libc = libc;
      this.fd = libc.open("/dev/null", 0);
      if (fd < 0) {
        throw new IllegalStateException("open(/dev/null) failed");
      }
    }

    @Override
    public void onContextSwitch(Context current) {
      calls++;
      if (libc.ioctl(fd, 0, 0) < 0) {
        failures++;
      }
    }

    void close() {
      libc.close(fd);
    }
  }
}
