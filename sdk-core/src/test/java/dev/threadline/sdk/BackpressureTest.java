package dev.threadline.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.threadline.sdk.testing.OtlpCollector;
import io.opentelemetry.api.trace.Tracer;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A stuck or absent collector must never hold up application threads: the queue is bounded, what
 * does not fit is dropped and counted.
 */
class BackpressureTest {
  private static final int QUEUE = 64;
  private static final int SPANS = 20_000;

  @Test
  void stuckCollectorNeverBlocksApplicationThreadsAndDropsAreCounted() throws Exception {
    try (OtlpCollector collector = OtlpCollector.start().hang();
        Threadline threadline =
            OtlpExportTest.testBuilder()
                .setProperty("otel.exporter.otlp.endpoint", collector.baseUrl())
                .setProperty("otel.bsp.max.queue.size", Integer.toString(QUEUE))
                .setProperty("otel.bsp.max.export.batch.size", Integer.toString(QUEUE))
                .setProperty("otel.bsp.schedule.delay", "1")
                .setProperty("otel.exporter.otlp.timeout", "3s")
                .install()) {
      Tracer tracer = threadline.openTelemetry().getTracer("t");

      // The application thread ends 20,000 spans while every export hangs until its timeout. Were
      // the application ever to wait for the exporter, 20,000 spans at one 3 s timeout per batch of
      // 64 would take over 15 minutes: this is a liveness check, not a speed measurement.
      CompletableFuture<Void> app =
          CompletableFuture.runAsync(
              () -> {
                for (int i = 0; i < SPANS; i++) {
                  tracer.spanBuilder("work").startSpan().end();
                }
              });
      app.get(30, TimeUnit.SECONDS);

      ExportStats stats = threadline.exportStats();
      assertThat(stats.exportedSpans()).isZero();
      assertThat(stats.queuedSpans()).isLessThanOrEqualTo(QUEUE);
      // At most one queue and one batch in flight can be held; everything else is dropped and
      // counted.
      assertThat(stats.droppedSpans()).isGreaterThanOrEqualTo(SPANS - 2L * QUEUE);
      assertThat(
              threadline.meterRegistry().get("threadline.spans.dropped").functionCounter().count())
          .isEqualTo((double) threadline.exportStats().droppedSpans());
    }
  }

  @Test
  void unreachableCollectorCountsFailedExports() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    try (Threadline threadline =
        OtlpExportTest.testBuilder()
            .setProperty("otel.exporter.otlp.endpoint", "http://127.0.0.1:" + closedPort)
            .setProperty("otel.exporter.otlp.timeout", "2s")
            .install()) {
      Tracer tracer = threadline.openTelemetry().getTracer("t");
      for (int i = 0; i < 10; i++) {
        tracer.spanBuilder("lost").startSpan().end();
      }
      assertThat(threadline.flush(Duration.ofSeconds(20))).as("flush completes in time").isTrue();

      ExportStats stats = threadline.exportStats();
      assertThat(stats.failedSpans()).isEqualTo(10);
      assertThat(stats.exportedSpans()).isZero();
      assertThat(
              threadline
                  .meterRegistry()
                  .get("threadline.spans.export.failed")
                  .functionCounter()
                  .count())
          .isEqualTo(10.0);
    }
  }
}
