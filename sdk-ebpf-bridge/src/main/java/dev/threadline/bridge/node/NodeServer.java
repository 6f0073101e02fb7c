package dev.threadline.bridge.node;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.threadline.bridge.correlate.Correlator;
import dev.threadline.bridge.correlate.CorrelatorMetrics;
import dev.threadline.bridge.loader.BridgeUnavailableException;
import dev.threadline.bridge.node.forward.Forwarder;
import dev.threadline.bridge.node.forward.SpanRecordEncoder;
import dev.threadline.bridge.node.metrics.NodeMetrics;
import dev.threadline.bridge.node.query.QueryHandler;
import dev.threadline.bridge.node.receiver.OtlpReceiverHandler;
import dev.threadline.bridge.node.store.SpanRecord;
import dev.threadline.bridge.node.store.TraceStore;
import dev.threadline.bridge.node.viewer.ViewerHandler;
import dev.threadline.bridge.span.WallClockOffset;
import dev.threadline.sdk.metrics.PrometheusEndpoint;
import io.micrometer.core.instrument.FunctionCounter;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The node daemon's HTTP side, all on one port: the OTLP receiver ({@code POST /v1/traces}, {@code
 * POST /api/v1/otel/trace}), the query API ({@code /api/...}), the viewer ({@code /}) and the
 * node's own metrics ({@code /metrics}), in front of one {@link TraceStore}.
 *
 * <p>Each request is read and answered on a thread of its connection ({@link ConnectionThreads}: at
 * most {@link ConnectionLimits#maxConnections()}, each part of a request within {@link
 * ConnectionLimits#readTimeout()}), and handled, with its body in memory, on a fixed pool of {@link
 * NodeConfig#threads()} handler threads ({@link BufferingHandler}): a client that sends or reads
 * slowly, or not at all, holds only its own connection thread, for at most the read timeout.
 */
public final class NodeServer implements AutoCloseable {
  private final NodeConfig config;
  private final HttpServer server;
  private final ConnectionThreads connections;
  private final ExecutorService handlers;
  private final TraceStore store;
  private final NodeMetrics metrics;
  private final Forwarder forwarder;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Correlator correlator;
  private volatile KernelSide kernel;
  private volatile String kernelStatus = "off (--kernel off)";

  private NodeServer(
      NodeConfig config,
      HttpServer server,
      ConnectionThreads connections,
      ExecutorService handlers,
      TraceStore store,
      NodeMetrics metrics,
      Forwarder forwarder,
      Correlator correlator) {
    this.correlator = correlator;
    this.config = config;
    this.server = server;
    this.connections = connections;
    this.handlers = handlers;
    this.store = store;
    this.metrics = metrics;
    this.forwarder = forwarder;
  }

  /**
   * Binds and starts the node, with the kernel side when {@link NodeConfig#kernel()} asks for it
   * and it can run.
   *
   * @throws IOException when the address cannot be bound (the port is taken, say)
   * @throws BridgeUnavailableException when the kernel side is required and cannot run
   */
  public static NodeServer start(NodeConfig config) throws IOException, BridgeUnavailableException {
    // The JDK server leaves Nagle's algorithm on unless told otherwise, and a small OTLP response
    // then waits for the client's delayed ACK: ~40 ms per export. Read once, when the server's
    // configuration class loads.
    System.getProperties().putIfAbsent("sun.net.httpserver.nodelay", "true");
    NodeMetrics metrics = NodeMetrics.create();
    TraceStore store =
        new TraceStore(config.storeLimits(), System::currentTimeMillis, metrics::evicted);
    metrics.bindStore(store::bytes, store::traceCount, store::spanCount);
    HttpServer server =
        HttpServer.create(
            new InetSocketAddress(InetAddress.getByName(config.host()), config.port()), 128);
    Forwarder forwarder =
        config.forward() == null ? null : Forwarder.start(config.forward(), metrics);
    ConnectionThreads connections = new ConnectionThreads(config.connections(), metrics.registry());
    server.setExecutor(connections);
    AtomicInteger threadNumber = new AtomicInteger();
    ExecutorService handlers =
        Executors.newFixedThreadPool(
            config.threads(),
            runnable -> {
              Thread thread =
                  new Thread(runnable, "threadline-node-http-" + threadNumber.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    OtlpReceiverHandler receiver =
        new OtlpReceiverHandler(
            config.receiverLimits(), config.urlRedaction(), store, metrics, forwarder);
    Map<String, HttpHandler> routes = new LinkedHashMap<>();
    routes.put(OtlpReceiverHandler.OTLP_PATH, receiver);
    routes.put(OtlpReceiverHandler.DEEPFLOW_PATH, receiver);
    routes.put("/api/", new QueryHandler(store));
    routes.put(PrometheusEndpoint.PATH, PrometheusEndpoint.handler(metrics.registry()));
    routes.put("/", new ViewerHandler());
    routes.forEach(
        (path, handler) ->
            server.createContext(
                path,
                new BufferingHandler(
                    handler,
                    handlers,
                    config.receiverLimits().maxBodyBytes(),
                    config.connections().readTimeout())));
    CorrelatorMetrics correlatorMetrics = CorrelatorMetrics.register(metrics.registry());
    Correlator correlator =
        Correlator.builder(store, correlatorMetrics)
            .clockOffset(new WallClockOffset())
            .joinWindow(config.joinWindow())
            .urlRedaction(config.urlRedaction())
            .onSettled(spans -> forwardSettled(forwarder, spans))
            .build();
    correlatorMetrics.bindWaiting(metrics.registry(), correlator::waiting);
    server.start();
    NodeServer node =
        new NodeServer(
            config, server, connections, handlers, store, metrics, forwarder, correlator);
    try {
      node.startKernel(correlatorMetrics);
    } catch (BridgeUnavailableException e) {
      node.close();
      throw e;
    }
    return node;
  }

  private void startKernel(CorrelatorMetrics correlatorMetrics) throws BridgeUnavailableException {
    if (config.kernel() == KernelMode.OFF) {
      return;
    }
    try {
      kernel = KernelSide.start(correlator, correlatorMetrics, port(), config.ringBufferBytes());
      kernelStatus = "on: tracing the sockets of every process but this one, joined into traces";
      FunctionCounter.builder("threadline.node.kernel.events.lost", kernel, KernelSide::lostEvents)
          .description("kernel events lost, by reason (ring_full: the BPF ring buffer was full)")
          .tag("reason", "ring_full")
          .register(metrics.registry());
      FunctionCounter.builder(
              "threadline.node.kernel.payload.reduced", kernel, KernelSide::payloadReducedToHead)
          .description(
              "sends and receives whose payload capture was cut because the ring buffer was"
                  + " filling up (head: over half full, none: over 85% full); the events were kept")
          .tag("level", "head")
          .register(metrics.registry());
      FunctionCounter.builder(
              "threadline.node.kernel.payload.reduced", kernel, KernelSide::payloadReducedToNone)
          .description(
              "sends and receives whose payload capture was cut because the ring buffer was"
                  + " filling up (head: over half full, none: over 85% full); the events were kept")
          .tag("level", "none")
          .register(metrics.registry());
    } catch (BridgeUnavailableException e) {
      if (config.kernel() == KernelMode.REQUIRED) {
        throw e;
      }
      kernelStatus = "off: " + e.oneLine();
    }
  }

  /** S spans whose join window passed go to the backend with their final trace and parent. */
  private static void forwardSettled(Forwarder forwarder, List<SpanRecord> spans) {
    if (forwarder != null) {
      forwarder.offer(SpanRecordEncoder.encode(spans).toByteArray(), false, spans.size());
    }
  }

  /** Whether the kernel side runs, and why not when it does not: one line for the banner. */
  public String kernelStatus() {
    return kernelStatus;
  }

  /** The correlator joining S spans into the store's traces. */
  public Correlator correlator() {
    return correlator;
  }

  /** The port actually bound. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** {@code http://host:port}, for clients and for the banner. */
  public String baseUrl() {
    String host =
        server.getAddress().getAddress().isAnyLocalAddress()
            ? "127.0.0.1"
            : server.getAddress().getAddress().getHostAddress();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return "http://" + host + ":" + port();
  }

  public TraceStore store() {
    return store;
  }

  public NodeMetrics metrics() {
    return metrics;
  }

  public NodeConfig config() {
    return config;
  }

  /** Stops accepting, gives requests in progress a second, stops forwarding. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    server.stop(1);
    connections.close();
    handlers.shutdownNow();
    KernelSide side = kernel;
    if (side != null) {
      side.close();
    }
    if (forwarder != null) {
      forwarder.close();
    }
  }
}
