package dev.threadline.bridge.node;

import dev.threadline.bridge.correlate.Correlator;
import dev.threadline.bridge.correlate.CorrelatorMetrics;
import dev.threadline.bridge.loader.BridgeUnavailableException;
import dev.threadline.bridge.loader.TraceConfig;
import dev.threadline.bridge.span.SSpan;
import dev.threadline.bridge.span.SocketTracer;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The node's kernel side: the socket tracer on every process but the node itself, its S spans fed
 * to the correlator, and the timer that lets late A spans complete the joins. The node's own
 * traffic (apps exporting OTLP to it) is dropped before the correlator sees it.
 */
final class KernelSide implements AutoCloseable {
  /** How often waiting joins are retried and expired S spans settled. */
  static final long SWEEP_PERIOD_MS = 100;

  private final SocketTracer tracer;
  private final ScheduledExecutorService sweeper;
  private final Correlator correlator;

  private KernelSide(SocketTracer tracer, Correlator correlator) {
    this.tracer = tracer;
    this.correlator = correlator;
    this.sweeper =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread t = new Thread(task, "threadline-node-correlator");
              t.setDaemon(true);
              return t;
            });
    sweeper.scheduleWithFixedDelay(
        this::sweep, SWEEP_PERIOD_MS, SWEEP_PERIOD_MS, TimeUnit.MILLISECONDS);
  }

  /**
   * Loads the BPF programs and starts feeding {@code correlator}.
   *
   * @param nodePort the port the node listens on: connections to it are its own traffic
   * @param ringBufferBytes the BPF ring buffer's size (a power of two, 4 KiB..256 MiB)
   * @throws BridgeUnavailableException when the kernel side cannot run here
   */
  static KernelSide start(
      Correlator correlator, CorrelatorMetrics metrics, int nodePort, int ringBufferBytes)
      throws BridgeUnavailableException {
    SocketTracer tracer =
        SocketTracer.start(
            TraceConfig.allButSelf().withRingBufferBytes(ringBufferBytes),
            span -> {
              if (ownTraffic(span, nodePort)) {
                metrics.ownTraffic();
              } else {
                correlator.accept(span);
              }
            });
    return new KernelSide(tracer, correlator);
  }

  static boolean ownTraffic(SSpan span, int nodePort) {
    return span.remote().port() == nodePort || span.local().port() == nodePort;
  }

  /** Events lost because the ring buffer was full. */
  long lostEvents() {
    return tracer.lostEvents();
  }

  /** Sends and receives captured with a short head only, the ring being over half full. */
  long payloadReducedToHead() {
    return tracer.payloadReductions().head();
  }

  /** Sends and receives captured with no payload, the ring being over 85% full. */
  long payloadReducedToNone() {
    return tracer.payloadReductions().none();
  }

  private void sweep() {
    try {
      correlator.sweep();
    } catch (RuntimeException e) {
      // A bad join must not stop the others: the next sweep goes on.
    }
  }

  /** Detaches, joins what is left and settles every waiting S span. */
  @Override
  public void close() {
    sweeper.shutdownNow();
    tracer.close();
    correlator.flush();
  }
}
