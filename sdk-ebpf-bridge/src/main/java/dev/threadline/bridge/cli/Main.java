package dev.threadline.bridge.cli;

import dev.threadline.bridge.loader.BridgeUnavailableException;
import dev.threadline.bridge.loader.TraceConfig;
import dev.threadline.bridge.node.NodeCommand;
import dev.threadline.bridge.span.SocketTracer;
import dev.threadline.bridge.span.SpanJson;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar threadline-bridge.jar trace [--pid P ...] [--port N ...] [--capture N]}: prints
 * one JSON object per S span on stdout until interrupted. ({@code ... node [options]} runs the node
 * daemon instead.)
 *
 * <p>Exit codes: 0 after Ctrl-C, 2 for bad arguments, 3 when the kernel side cannot run (one line
 * on stderr says why and what to do).
 */
public final class Main {
  static final String USAGE =
      "usage: threadline-bridge trace [--pid PID ...] [--port PORT ...] [--capture BYTES]"
          + " | node [options]";

  private Main() {}

  public static void main(String[] args) {
    System.exit(dispatch(args));
  }

  /**
   * {@code node} goes to the node daemon ({@link NodeCommand}), everything else to {@code trace}.
   */
  static int dispatch(String[] args) {
    if (args.length > 0 && args[0].equals("node")) {
      return NodeCommand.run(Arrays.copyOfRange(args, 1, args.length));
    }
    return run(args, System.out, System.err, new CountDownLatch(1));
  }

  /**
   * Runs the CLI until {@code stop} is released or the JVM is interrupted; returns the exit code.
   */
  static int run(String[] args, PrintStream out, PrintStream err, CountDownLatch stop) {
    TraceConfig config;
    try {
      config = parse(args);
    } catch (IllegalArgumentException e) {
      err.println("threadline-bridge: " + e.getMessage());
      err.println(USAGE);
      return 2;
    }
    SpanJson json = new SpanJson(SpanJson.currentClockOffset());
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
    // Lost events are reported as they happen, not only at exit: a full ring buffer means
    // the consumer (or the terminal it prints to) cannot keep up, which the operator must see.
    java.util.concurrent.ScheduledExecutorService lostReporter =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "threadline-lost-events");
              t.setDaemon(true);
              return t;
            });
    long[] reported = {0};
    lostReporter.scheduleAtFixedRate(
        () -> {
          long lost = tracer.lostEvents();
          if (lost > reported[0]) {
            err.println("threadline-bridge: " + lost + " events lost so far (ring buffer full)");
            reported[0] = lost;
          }
        },
        5,
        5,
        java.util.concurrent.TimeUnit.SECONDS);
    Thread hook =
        new Thread(
            () -> {
              lostReporter.shutdownNow();
              closeAndReport(tracer, err);
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
      closeAndReport(tracer, err);
    }
    return 0;
  }

  private static void closeAndReport(SocketTracer tracer, PrintStream err) {
    long lost = tracer.lostEvents();
    tracer.close();
    if (lost > 0) {
      err.println("threadline-bridge: " + lost + " events lost (ring buffer full)");
    }
    if (tracer.failure() != null) {
      err.println("threadline-bridge: consumer error: " + tracer.failure());
    }
  }

  static TraceConfig parse(String[] args) {
    if (args.length == 0 || !args[0].equals("trace")) {
      throw new IllegalArgumentException(
          args.length == 0 ? "missing command" : "unknown command " + args[0]);
    }
    Set<Integer> pids = new LinkedHashSet<>();
    Set<Integer> ports = new LinkedHashSet<>();
    int capture = TraceConfig.DEFAULT_CAPTURE;
    for (int i = 1; i < args.length; i++) {
      String option = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("missing value after " + option);
      }
      String value = args[++i];
      int n;
      try {
        n = Integer.parseInt(value);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not a number after " + option + ": " + value);
      }
      switch (option) {
        case "--pid":
          pids.add(n);
          break;
        case "--port":
          ports.add(n);
          break;
        case "--capture":
          capture = n;
          break;
        default:
          throw new IllegalArgumentException("unknown option " + option);
      }
    }
    return new TraceConfig(capture, pids, ports, (int) ProcessHandle.current().pid());
  }

  private static String describe(TraceConfig c) {
    return (c.pids().isEmpty() ? "all processes but this one" : "pids " + c.pids())
        + (c.ports().isEmpty() ? "" : ", ports " + c.ports())
        + ", capturing "
        + c.captureBytes()
        + " bytes";
  }
}
