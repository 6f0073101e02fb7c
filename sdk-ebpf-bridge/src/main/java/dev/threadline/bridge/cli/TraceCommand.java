package dev.threadline.bridge.cli;

import dev.threadline.bridge.loader.BridgeUnavailableException;
import dev.threadline.bridge.loader.TraceConfig;
import dev.threadline.bridge.node.Sizes;
import dev.threadline.bridge.span.SocketTracer;
import dev.threadline.bridge.span.SpanJson;
import dev.threadline.bridge.span.WallClockOffset;
import dev.threadline.sdk.export.UrlRedaction;
import java.io.PrintStream;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code threadline-bridge trace [--pid P ...] [--port N ...] [--capture N]}: prints one JSON
 * object per S span on stdout until interrupted.
 *
 * <p>Exit codes: 0 after Ctrl-C, 2 for bad arguments, 3 when the kernel side cannot run (one line
 * on stderr says why and what to do).
 */
@Command(
    name = "trace",
    sortOptions = false,
    description = {
      "Prints one JSON object per S span (a request/response pair seen by the kernel) on stdout"
          + " until Ctrl-C."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:after Ctrl-C",
      "2:bad arguments",
      "3:the kernel side cannot run here (stderr says why)"
    })
final class TraceCommand implements Callable<Integer> {
  private final PrintStream out;
  private final PrintStream err;
  private final CountDownLatch stop;

  @Spec private CommandSpec spec;

  @Option(
      names = "--pid",
      paramLabel = "PID",
      description = "trace only this process (repeatable; default: all but this one)")
  private Set<Integer> pids = new LinkedHashSet<>();

  @Option(
      names = "--port",
      paramLabel = "PORT",
      description = "trace only connections with this local or remote port (repeatable)")
  private Set<Integer> ports = new LinkedHashSet<>();

  @Option(
      names = "--capture",
      paramLabel = "BYTES",
      description = "bytes of each request and response read for HTTP (default: ${DEFAULT-VALUE})")
  private int capture = TraceConfig.DEFAULT_CAPTURE;

  @Option(
      names = "--ring-size",
      paramLabel = "SIZE",
      description =
          "size of the BPF ring buffer, a power of two from 4KiB to 256MiB (default: ${DEFAULT-VALUE});"
              + " a larger one rides out longer bursts before events are lost")
  private String ringSize = "16MiB";

  TraceCommand(PrintStream out, PrintStream err, CountDownLatch stop) {
    this.out = out;
    this.err = err;
    this.stop = stop;
  }

  /** What the options ask for; a value out of range is a usage error. */
  TraceConfig config() {
    try {
      int ring = (int) Sizes.parse(ringSize, "--ring-size", 256L << 20);
      return new TraceConfig(capture, pids, ports, (int) ProcessHandle.current().pid())
          .withRingBufferBytes(ring);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }

  /** Runs until {@code stop} is released or the JVM is interrupted; returns the exit code. */
  @Override
  public Integer call() {
    TraceConfig config = config();
    SpanJson json =
        new SpanJson(
            new WallClockOffset(),
            UrlRedaction.parse(System.getenv("THREADLINE_REDACT_QUERY_PARAMETERS")));
    SocketTracer tracer;
    try {
      tracer =
          SocketTracer.start(
              config,
              span -> {
                synchronized (out) {
                  out.println(json.toJson(span));
                  out.flush();
                }
              });
    } catch (BridgeUnavailableException e) {
      err.println(e.oneLine());
      return 3;
    }
    // Losses and payload reductions are reported as they happen, not only at exit: a filling ring
    // buffer means the consumer (or the terminal it prints to) cannot keep up, which the operator
    // must see. One line per 5 s at most, and only when a count grew.
    ScheduledExecutorService lostReporter =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "threadline-lost-events");
              t.setDaemon(true);
              return t;
            });
    PressureReport report = new PressureReport();
    lostReporter.scheduleAtFixedRate(
        () -> {
          String line = report.update(tracer.lostEvents(), tracer.payloadReductions());
          if (line != null) {
            err.println(line);
          }
        },
        5,
        5,
        TimeUnit.SECONDS);
    Thread hook =
        new Thread(
            () -> {
              lostReporter.shutdownNow();
              closeAndReport(tracer);
              stop.countDown();
            },
            "threadline-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    err.println("threadline-bridge: tracing " + describe(config) + "; Ctrl-C to stop");
    try {
      stop.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    boolean hookPending;
    try {
      hookPending = Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      hookPending = false; // SIGTERM or Ctrl-C: the hook has closed the tracer
    }
    if (hookPending) {
      lostReporter.shutdownNow();
      closeAndReport(tracer);
    }
    return 0;
  }

  private void closeAndReport(SocketTracer tracer) {
    tracer.close();
    // Read after close: the final counts, everything the programs did before they detached.
    String summary = PressureReport.summary(tracer.lostEvents(), tracer.payloadReductions());
    if (summary != null) {
      err.println(summary);
    }
    if (tracer.failure() != null) {
      err.println("threadline-bridge: consumer error: " + tracer.failure());
    }
  }

  private static String describe(TraceConfig c) {
    return (c.pids().isEmpty() ? "all processes but this one" : "pids " + c.pids())
        + (c.ports().isEmpty() ? "" : ", ports " + c.ports())
        + ", capturing "
        + c.captureBytes()
        + " bytes";
  }
}
