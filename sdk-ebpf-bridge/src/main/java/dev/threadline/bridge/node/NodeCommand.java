package dev.threadline.bridge.node;

import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

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
 * </pre>
 *
 * <p>{@link #run} returns 0 once stopped (Ctrl-C, SIGTERM), 2 for bad options and 3 when the
 * address cannot be bound; for the last two one line on stderr says why.
 */
public final class NodeCommand {
  private NodeCommand() {}

  /**
   * For trying the node without the CLI: {@code java -cp ...
   * dev.threadline.bridge.node.NodeCommand}.
   */
  public static void main(String[] args) {
    System.exit(run(args));
  }

  /**
   * Parses {@code args} (a leading {@code node} is skipped), starts the node and blocks until the
   * JVM is interrupted or shut down.
   *
   * @return the exit code
   */
  public static int run(String[] args) {
    return run(args, System::getenv, System.out, System.err, new CountDownLatch(1));
  }

  static int run(
      String[] args,
      Function<String, String> env,
      PrintStream out,
      PrintStream err,
      CountDownLatch stop) {
    for (String arg : args) {
      if (arg.equals("--help") || arg.equals("-h")) {
        out.println(NodeOptions.USAGE);
        return 0;
      }
    }
    NodeConfig config;
    try {
      config = NodeOptions.parse(args, env);
    } catch (IllegalArgumentException e) {
      err.println("threadline node: " + e.getMessage());
      err.println(NodeOptions.USAGE);
      return 2;
    }
    limitSlowClients();
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

  /**
   * The JDK server waits forever for a slow request by default; these system properties (read once,
   * when its configuration class loads) bound how long a request and a response may take, so a slow
   * client cannot hold a handler thread. Set only when the user did not.
   */
  private static void limitSlowClients() {
    System.getProperties().putIfAbsent("sun.net.httpserver.maxReqTime", "30");
    System.getProperties().putIfAbsent("sun.net.httpserver.maxRspTime", "60");
  }
}
