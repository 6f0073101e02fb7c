package dev.threadline.sdk;

import dev.threadline.sdk.context.ContextExecutors;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A plain Java application using Threadline as a library, configured only by environment variables.
 * It never closes Threadline: the shutdown hook must flush its spans.
 */
public final class PlainJavaApp {
  private PlainJavaApp() {}

  public static void main(String[] args) throws Exception {
    Threadline.installFromConfig();
    Tracer tracer = GlobalOpenTelemetry.getTracer("plain-app");
    ExecutorService pool = ContextExecutors.wrap(Executors.newFixedThreadPool(2));
    Span request = tracer.spanBuilder("handle request").startSpan();
    try (Scope ignored = request.makeCurrent()) {
      pool.submit(() -> tracer.spanBuilder("pooled work").startSpan().end()).get();
    } finally {
      request.end();
    }
    pool.shutdown();
    pool.awaitTermination(5, TimeUnit.SECONDS);
    System.out.println("plain-app done");
  }
}
