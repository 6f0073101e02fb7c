package dev.threadline.bridge.node;

import dev.threadline.bridge.correlate.Correlator;
import dev.threadline.bridge.loader.TraceConfig;
import dev.threadline.bridge.node.forward.ForwardConfig;
import dev.threadline.bridge.node.receiver.ReceiverLimits;
import dev.threadline.bridge.node.store.StoreLimits;
import dev.threadline.sdk.export.UrlRedaction;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything the node daemon is configured with; see {@link NodeCommand} for the flags and
 * environment variables that set it.
 *
 * @param host the interface to bind ({@code 127.0.0.1} by default: spans carry URLs, users and SQL)
 * @param port the TCP port ({@value #DEFAULT_PORT} by default; 0 picks a free one)
 * @param threads request handler threads
 * @param receiverLimits request size limits
 * @param storeLimits trace store limits
 * @param forward where to re-send what is received, or {@code null}
 * @param urlRedaction which query parameters are redacted in received spans ({@code null}: the
 *     defaults)
 * @param kernel whether the node also traces the kernel side (S spans) and joins them in
 * @param joinWindow how long an S span waits for the evidence that joins it
 * @param ringBufferBytes the kernel side's BPF ring buffer: a power of two, 4 KiB..256 MiB
 * @param connections how long a client may take to send a request, and how many connections are
 *     served at once
 */
public record NodeConfig(
    String host,
    int port,
    int threads,
    ReceiverLimits receiverLimits,
    StoreLimits storeLimits,
    ForwardConfig forward,
    UrlRedaction urlRedaction,
    KernelMode kernel,
    Duration joinWindow,
    int ringBufferBytes,
    ConnectionLimits connections) {

  public static final String DEFAULT_HOST = "127.0.0.1";

  /**
   * Not 4318: on a node that already runs an OpenTelemetry Collector or an agent, 4318 is taken.
   * 14318 reads as "OTLP/HTTP, shifted".
   */
  public static final int DEFAULT_PORT = 14318;

  public static final int DEFAULT_THREADS = 4;

  public NodeConfig {
    Objects.requireNonNull(host, "host");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be in 0..65535, was " + port);
    }
    if (threads < 1 || threads > 256) {
      throw new IllegalArgumentException("threads must be in 1..256, was " + threads);
    }
    Objects.requireNonNull(receiverLimits, "receiverLimits");
    Objects.requireNonNull(storeLimits, "storeLimits");
    if (urlRedaction == null) {
      urlRedaction = UrlRedaction.defaults();
    }
    Objects.requireNonNull(kernel, "kernel");
    if (joinWindow.isNegative() || joinWindow.isZero()) {
      throw new IllegalArgumentException("the join window must be positive, was " + joinWindow);
    }
    if (ringBufferBytes < 4096
        || ringBufferBytes > (256 << 20)
        || Integer.bitCount(ringBufferBytes) != 1) {
      throw new IllegalArgumentException(
          "the ring buffer size must be a power of two from 4KiB to 256MiB, was "
              + ringBufferBytes);
    }
    Objects.requireNonNull(connections, "connections");
  }

  /** Loopback, the default port, default limits, no forwarding, no kernel side. */
  public static NodeConfig defaults() {
    return new NodeConfig(
        DEFAULT_HOST,
        DEFAULT_PORT,
        DEFAULT_THREADS,
        ReceiverLimits.defaults(),
        StoreLimits.defaults(),
        null,
        null,
        KernelMode.OFF,
        Correlator.DEFAULT_JOIN_WINDOW,
        TraceConfig.DEFAULT_RING_BUFFER,
        ConnectionLimits.defaults());
  }

  public NodeConfig withPort(int newPort) {
    return toBuilder().port(newPort).build();
  }

  public NodeConfig withStoreLimits(StoreLimits limits) {
    return toBuilder().storeLimits(limits).build();
  }

  public NodeConfig withReceiverLimits(ReceiverLimits limits) {
    return toBuilder().receiverLimits(limits).build();
  }

  public NodeConfig withForward(ForwardConfig newForward) {
    return toBuilder().forward(newForward).build();
  }

  public NodeConfig withUrlRedaction(UrlRedaction redaction) {
    return toBuilder().urlRedaction(redaction).build();
  }

  public NodeConfig withKernel(KernelMode mode) {
    return toBuilder().kernel(mode).build();
  }

  public NodeConfig withJoinWindow(Duration window) {
    return toBuilder().joinWindow(window).build();
  }

  public NodeConfig withRingBufferBytes(int bytes) {
    return toBuilder().ringBufferBytes(bytes).build();
  }

  public NodeConfig withConnections(ConnectionLimits limits) {
    return toBuilder().connections(limits).build();
  }

  /** A builder holding this configuration's values. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Changes a few values of a {@link NodeConfig}; {@link #build()} checks them all. */
  public static final class Builder {
    private String host;
    private int port;
    private int threads;
    private ReceiverLimits receiverLimits;
    private StoreLimits storeLimits;
    private ForwardConfig forward;
    private UrlRedaction urlRedaction;
    private KernelMode kernel;
    private Duration joinWindow;
    private int ringBufferBytes;
    private ConnectionLimits connections;

    private Builder(NodeConfig c) {
      host = c.host;
      port = c.port;
      threads = c.threads;
      receiverLimits = c.receiverLimits;
      storeLimits = c.storeLimits;
      forward = c.forward;
      urlRedaction = c.urlRedaction;
      kernel = c.kernel;
      joinWindow = c.joinWindow;
      ringBufferBytes = c.ringBufferBytes;
      connections = c.connections;
    }

    public Builder port(int value) {
      port = value;
      return this;
    }

    public Builder storeLimits(StoreLimits value) {
      storeLimits = value;
      return this;
    }

    public Builder receiverLimits(ReceiverLimits value) {
      receiverLimits = value;
      return this;
    }

    public Builder forward(ForwardConfig value) {
      forward = value;
      return this;
    }

    public Builder urlRedaction(UrlRedaction value) {
      urlRedaction = value;
      return this;
    }

    public Builder kernel(KernelMode value) {
      kernel = value;
      return this;
    }

    public Builder joinWindow(Duration value) {
      joinWindow = value;
      return this;
    }

    public Builder ringBufferBytes(int value) {
      ringBufferBytes = value;
      return this;
    }

    public Builder connections(ConnectionLimits value) {
      connections = value;
      return this;
    }

    public NodeConfig build() {
      return new NodeConfig(
          host,
          port,
          threads,
          receiverLimits,
          storeLimits,
          forward,
          urlRedaction,
          kernel,
          joinWindow,
          ringBufferBytes,
          connections);
    }
  }
}
