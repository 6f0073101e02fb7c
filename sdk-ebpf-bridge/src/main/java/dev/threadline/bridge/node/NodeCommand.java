package dev.threadline.bridge.node;

import dev.threadline.bridge.loader.BridgeUnavailableException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code java -jar threadline-bridge.jar node [options]}: runs the node daemon, where the spans of
 * a host meet. It receives OTLP/HTTP traces (from SDKs and agents, from Kong's opentelemetry
 * plugin, from anything configured for a DeepFlow agent), keeps recent traces in a bounded store,
 * serves a JSON query API and a trace viewer, and can re-send everything to the backend a team
 * already runs. Blocks until interrupted.
 *
 * <p>Options (each also an environment variable; the flag wins):
 *
 * <pre>
 * --listen HOST:PORT        THREADLINE_NODE_LISTEN               127.0.0.1:14318
 * --max-body SIZE           THREADLINE_NODE_MAX_BODY             4MiB   (request as sent; 413 beyond)
 * --max-decoded SIZE        THREADLINE_NODE_MAX_DECODED          8MiB   (after gunzip; 413 beyond)
 * --store-max-bytes SIZE    THREADLINE_NODE_STORE_MAX_BYTES      128MiB (oldest traces evicted beyond)
 * --store-max-age DURATION  THREADLINE_NODE_STORE_MAX_AGE        30m
 * --max-spans-per-trace N   THREADLINE_NODE_MAX_SPANS_PER_TRACE  10000
 * --forward URL             THREADLINE_NODE_FORWARD              (none) e.g. http://tempo:4318/v1/traces
 * --forward-header K=V      THREADLINE_NODE_FORWARD_HEADERS      K=V,K=V (repeatable flag)
 * --forward-queue SIZE      THREADLINE_NODE_FORWARD_QUEUE        16MiB
 * --threads N               THREADLINE_NODE_THREADS              4
 * --kernel MODE             THREADLINE_NODE_KERNEL               auto   (auto|required|off)
 * --join-window DURATION    THREADLINE_NODE_JOIN_WINDOW          15s
 * --ring-size SIZE          THREADLINE_NODE_RING_SIZE            16MiB  (kernel side; power of two)
 * --read-timeout DURATION   THREADLINE_NODE_READ_TIMEOUT         10s    (headers, body, response)
 * --max-connections N       THREADLINE_NODE_MAX_CONNECTIONS      256    (beyond: closed at once)
 * </pre>
 *
 * <p>With the kernel side (when it can run: root, or CAP_BPF and CAP_PERFMON) it also traces this
 * host's sockets and joins the S spans into the traces it stores and forwards.
 *
 * <p>Exit codes: 0 once stopped (Ctrl-C, SIGTERM), 2 for bad options and 3 when the address cannot
 * be bound or the kernel side is required and cannot run; for the last two one line on stderr says
 * why.
 */
@Command(
    name = "node",
    sortOptions = false,
    description = {
      "Runs the node daemon: an OTLP/HTTP receiver, a bounded trace store, a query API and viewer,"
          + " and optional forwarding. Each option also has an environment variable; the flag wins."
    },
    footerHeading = "%n",
    footer = {
      "SIZE: bytes, or with KiB/MiB/GiB (also k/m/g). DURATION: 90s, 30m, 2h, or ISO-8601 (PT30M)."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:stopped (Ctrl-C, SIGTERM)",
      "2:bad options",
      "3:the address cannot be bound, or --kernel required and the kernel side cannot run"
    })
public final class NodeCommand implements Callable<Integer> {
  private final Function<String, String> env;
  private final PrintStream out;
  private final PrintStream err;
  private final CountDownLatch stop;

  @Spec private CommandSpec spec;

  @Mixin private NodeOptions options = new NodeOptions();

  /**
   * @param env the environment (option defaults, {@code THREADLINE_NODE_FORWARD_HEADERS})
   * @param out where the banner goes
   * @param err where failures go
   * @param stop counted down to stop the node, as Ctrl-C does
   */
  public NodeCommand(
      Function<String, String> env, PrintStream out, PrintStream err, CountDownLatch stop) {
    this.env = env;
    this.out = out;
    this.err = err;
    this.stop = stop;
  }

  /** The command's own parser, with its option defaults read from {@code env}. */
  public static CommandLine commandLine(NodeCommand command, Function<String, String> env) {
    CommandLine commandLine = new CommandLine(command);
    commandLine.setDefaultValueProvider(NodeOptions.environment(env));
    return commandLine;
  }

  /**
   * Starts the node and blocks until the JVM is interrupted or shut down; returns the exit code.
   */
  @Override
  public Integer call() {
    NodeConfig config;
    try {
      config = options.toConfig(env);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    NodeServer node;
    try {
      node = NodeServer.start(config);
    } catch (BindException e) {
      err.println(
          "threadline node: cannot listen on "
              + config.host()
              + ":"
              + config.port()
              + " ("
              + e.getMessage()
              + "); pick another with --listen HOST:PORT");
      return 3;
    } catch (IOException e) {
      err.println(
          "threadline node: cannot start on " + config.host() + ":" + config.port() + ": " + e);
      return 3;
    } catch (BridgeUnavailableException e) {
      err.println("threadline node: --kernel required, but " + e.oneLine());
      return 3;
    }
    Thread hook =
        new Thread(
            () -> {
              node.close();
              stop.countDown();
            },
            "threadline-node-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    String base = node.baseUrl();
    out.println("threadline node: listening on " + base);
    out.println(
        "  OTLP/HTTP traces  POST "
            + base
            + "/v1/traces  (also /api/v1/otel/trace; protobuf or JSON)");
    out.println("  viewer            " + base + "/");
    out.println("  query API         " + base + "/api/traces");
    out.println("  metrics           " + base + "/metrics");
    if (config.forward() != null) {
      out.println("  forwarding to     " + config.forward().endpoint());
    }
    out.println("  kernel side       " + node.kernelStatus());
    out.flush();
    try {
      stop.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is already running
    }
    node.close();
    return 0;
  }
}
