package dev.threadline.sdk;

import dev.threadline.sdk.export.CountingSpanExporter;
import dev.threadline.sdk.export.SpanQueueTelemetry;
import dev.threadline.sdk.metrics.PrometheusEndpoint;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Threadline installed in this JVM: the OpenTelemetry SDK it configured, the meter registry its RED
 * metrics go to, and what became of the spans.
 *
 * <pre>{@code
 * Threadline threadline = Threadline.builder().setServiceName("checkout").install();
 * Tracer tracer = threadline.openTelemetry().getTracer("checkout");
 * }</pre>
 *
 * <p>Or, configured entirely from {@code OTEL_*} / {@code THREADLINE_*} variables: {@link
 * #installFromConfig()}.
 */
public final class Threadline implements AutoCloseable {
  private static final Logger logger = Logger.getLogger("dev.threadline");
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

  private final OpenTelemetrySdk sdk;
  private final MeterRegistry meterRegistry;
  private final List<CountingSpanExporter> exporters;
  private final SpanQueueTelemetry queueTelemetry;
  private final List<AutoCloseable> resources;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile Thread shutdownHook;

  Threadline(
      OpenTelemetrySdk sdk,
      MeterRegistry meterRegistry,
      List<CountingSpanExporter> exporters,
      SpanQueueTelemetry queueTelemetry,
      List<AutoCloseable> resources) {
    this.sdk = sdk;
    this.meterRegistry = meterRegistry;
    this.exporters = exporters;
    this.queueTelemetry = queueTelemetry;
    this.resources = resources;
  }

  /** A builder for programmatic installation. */
  public static ThreadlineBuilder builder() {
    return new ThreadlineBuilder();
  }

  /** Installs Threadline configured only by environment variables and system properties. */
  public static Threadline installFromConfig() {
    return builder().install();
  }

  /** The OpenTelemetry instance to create tracers from. */
  public OpenTelemetry openTelemetry() {
    return sdk;
  }

  /** The registry holding Threadline's RED and export metrics. */
  public MeterRegistry meterRegistry() {
    return meterRegistry;
  }

  /**
   * The port the Prometheus scrape endpoint ({@code GET /metrics}) listens on, or {@code -1} when
   * it is off (setting {@code threadline.metrics.prometheus.port}).
   */
  public int prometheusPort() {
    for (AutoCloseable resource : resources) {
      if (resource instanceof PrometheusEndpoint) {
        return ((PrometheusEndpoint) resource).port();
      }
    }
    return -1;
  }

  /** What became of the finished spans so far. */
  public ExportStats exportStats() {
    long exported = 0;
    long failed = 0;
    for (CountingSpanExporter exporter : exporters) {
      exported += exporter.exportedSpans();
      failed += exporter.failedSpans();
    }
    return new ExportStats(
        exported, failed, queueTelemetry.droppedSpans(), queueTelemetry.queuedSpans());
  }

  /**
   * Hands every queued span to the exporter and waits at most {@code timeout} for the exports to
   * finish.
   *
   * @return whether the flush finished in time; whether the backend accepted the spans shows in
   *     {@link #exportStats()}
   */
  public boolean flush(Duration timeout) {
    CompletableResultCode result =
        sdk.getSdkTracerProvider().forceFlush().join(timeout.toMillis(), TimeUnit.MILLISECONDS);
    return result.isSuccess();
  }

  /** Flushes and shuts down the SDK and the metrics endpoint. Safe to call more than once. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    removeShutdownHook();
    flush(CLOSE_TIMEOUT);
    sdk.shutdown().join(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    for (AutoCloseable resource : resources) {
      try {
        resource.close();
      } catch (Exception e) {
        logger.log(Level.FINE, "Threadline: error while closing " + resource, e);
      }
    }
  }

  void addShutdownHook() {
    Thread hook = new Thread(this::close, "threadline-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    shutdownHook = hook;
  }

  private void removeShutdownHook() {
    Thread hook = shutdownHook;
    if (hook == null || Thread.currentThread() == hook) {
      return;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // The JVM is already shutting down; the hook runs close(), which is idempotent.
    }
  }
}
