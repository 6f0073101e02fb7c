package dev.threadline.sdk.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

/**
 * A real OTLP/HTTP receiver on loopback for tests: decodes each request body with the official
 * {@code opentelemetry-proto} classes. It can also be told to hang, to play a stuck collector.
 */
public final class OtlpCollector implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool(daemonThreads());
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private final java.util.concurrent.atomic.AtomicBoolean closed =
      new java.util.concurrent.atomic.AtomicBoolean();
  private volatile boolean hang;

  private OtlpCollector() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  public static OtlpCollector start() throws IOException {
    return new OtlpCollector();
  }

  /** From now on, requests are read and then left without an answer until {@link #close()}. */
  public OtlpCollector hang() {
    hang = true;
    return this;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Every request received so far, in order. */
  public List<Received> requests() {
    return List.copyOf(received);
  }

  /** Every span received so far, flattened. */
  public List<Span> spans() {
    List<Span> spans = new ArrayList<>();
    for (Received request : received) {
      for (ResourceSpans resourceSpans : request.body().getResourceSpansList()) {
        for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
          spans.addAll(scopeSpans.getSpansList());
        }
      }
    }
    return spans;
  }

  /** Waits until at least {@code count} spans arrived; returns them. */
  public List<Span> awaitSpans(int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (spans().size() < count && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    return spans();
  }

  /** Waits until a span of each of {@code names} arrived; returns every span received. */
  public List<Span> awaitSpansNamed(Duration timeout, String... names) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      List<Span> spans = spans();
      boolean all = true;
      for (String name : names) {
        all &= spans.stream().anyMatch(span -> span.getName().equals(name));
      }
      if (all) {
        return spans;
      }
      Thread.sleep(20);
    }
    return spans();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      if (hang) {
        release.await();
        return;
      }
      String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
      if ("gzip".equalsIgnoreCase(encoding)) {
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(body))) {
          body = in.readAllBytes();
        }
      }
      ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(body);
      received.add(
          new Received(
              exchange.getRequestMethod(),
              exchange.getRequestURI().getPath(),
              exchange.getRequestHeaders().getFirst("Content-Type"),
              encoding,
              request));
      byte[] response = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
      exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
      exchange.sendResponseHeaders(200, response.length);
      exchange.getResponseBody().write(response);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    release.countDown();
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static java.util.concurrent.ThreadFactory daemonThreads() {
    return runnable -> {
      Thread thread = new Thread(runnable, "test-otlp-collector");
      thread.setDaemon(true);
      return thread;
    };
  }

  /** One request as the collector saw it ({@code contentEncoding} null when none was sent). */
  public record Received(
      String method,
      String path,
      String contentType,
      String contentEncoding,
      ExportTraceServiceRequest body) {}
}
