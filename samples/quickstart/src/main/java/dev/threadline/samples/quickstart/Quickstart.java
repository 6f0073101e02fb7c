package dev.threadline.samples.quickstart;

import dev.threadline.sdk.Threadline;
import dev.threadline.sdk.context.ContextExecutors;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The quickstart: the same checkout request twice, once with a plain thread pool (the chain breaks:
 * every stock check starts a trace of its own) and once with the pool wrapped by Threadline (one
 * trace).
 */
public final class Quickstart {
  private Quickstart() {}

  /** The spans of both runs. */
  record Result(List<SpanData> plainPool, List<SpanData> threadlinePool) {}

  public static void main(String[] args) throws Exception {
    SpanCollector collector = new SpanCollector();
    var builder =
        Threadline.builder()
            .setServiceName("quickstart-shop")
            .addSpanProcessor(SimpleSpanProcessor.create(collector));
    if (!exportConfigured()) {
      // Nothing to send to: print the trace here instead of failing to reach localhost:4318.
      builder.setProperty("otel.traces.exporter", "none");
    }
    if (System.getenv("THREADLINE_METRICS_PROMETHEUS_PORT") == null) {
      builder.setProperty("threadline.metrics.prometheus.port", "0");
    }
    try (Threadline threadline = builder.install()) {
      Result result = run(threadline, collector);
      boolean unbroken = print(result, threadline, System.out);
      if (!unbroken) {
        System.exit(1);
      }
    }
  }

  static Result run(Threadline threadline, SpanCollector collector) throws IOException {
    List<SpanData> plain = checkout(threadline, Executors.newFixedThreadPool(3), collector);
    List<SpanData> wrapped =
        checkout(threadline, ContextExecutors.wrap(Executors.newFixedThreadPool(3)), collector);
    return new Result(plain, wrapped);
  }

  private static List<SpanData> checkout(
      Threadline threadline, ExecutorService pool, SpanCollector collector) throws IOException {
    try (ShopServer shop = new ShopServer(threadline.openTelemetry(), pool)) {
      shop.get("/checkout");
    }
    return collector.drain();
  }

  private static boolean print(Result result, Threadline threadline, PrintStream out) {
    int plainTraces = TraceTree.traceIds(result.plainPool()).size();
    int threadlineTraces = TraceTree.traceIds(result.threadlinePool()).size();
    out.println(
        "== Checkout through a plain thread pool: "
            + plainTraces
            + " traces, the chain breaks at the pool");
    out.print(TraceTree.render(result.plainPool()));
    out.println();
    out.println("== Checkout through a pool wrapped by Threadline: " + threadlineTraces + " trace");
    out.print(TraceTree.render(result.threadlinePool()));
    out.println();
    out.println(
        "== RED metrics (also at http://127.0.0.1:"
            + threadline.prometheusPort()
            + "/metrics while running)");
    for (Timer timer :
        threadline.meterRegistry().find("threadline.http.server.duration").timers()) {
      out.printf(
          "  server %-14s count=%d errors=%s mean=%.2f ms%n",
          timer.getId().getTag("http.route"),
          timer.count(),
          timer.getId().getTag("error"),
          timer.mean(java.util.concurrent.TimeUnit.MILLISECONDS));
    }
    out.println();
    out.println("== Export: " + threadline.exportStats());
    out.println(
        exportConfigured()
            ? "Spans were also sent to your OTLP endpoint."
            : "Set OTEL_EXPORTER_OTLP_ENDPOINT (e.g. http://localhost:4318) to send these spans to Jaeger, Tempo or DeepFlow.");
    return threadlineTraces == 1;
  }

  private static boolean exportConfigured() {
    return System.getenv("OTEL_EXPORTER_OTLP_ENDPOINT") != null
        || System.getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") != null
        || System.getenv("OTEL_TRACES_EXPORTER") != null
        || System.getProperty("otel.exporter.otlp.endpoint") != null
        || System.getProperty("otel.traces.exporter") != null;
  }
}
