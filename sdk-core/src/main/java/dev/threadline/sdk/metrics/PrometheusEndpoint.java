package dev.threadline.sdk.metrics;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Serves a {@link PrometheusMeterRegistry} at {@code GET /metrics} on its own small HTTP server,
 * for applications that have no metrics endpoint of their own. (Applications that do, such as
 * Spring Boot with actuator, should pass their registry to {@link RedMetrics#spanProcessor} instead
 * and need no endpoint.)
 *
 * <p>The response is the Prometheus text format 0.0.4, or OpenMetrics 1.0 when the request's {@code
 * Accept} header asks for {@code application/openmetrics-text}: the Prometheus client library's
 * scrape handler chooses and writes the format (see {@link #handler}). {@code HEAD} is answered
 * with headers only, other methods with 405, other paths with 404.
 *
 * <p>The server binds to {@value #DEFAULT_HOST} unless told otherwise: metrics reveal endpoints and
 * traffic, so exposing them beyond the host must be a deliberate choice. Its threads are daemons,
 * so an endpoint never keeps the JVM alive; {@link #close()} stops it.
 */
public final class PrometheusEndpoint implements AutoCloseable {

  /** The interface bound when none is given: IPv4 loopback. */
  public static final String DEFAULT_HOST = "127.0.0.1";

  /** The path metrics are served at. */
  public static final String PATH = "/metrics";

  private final HttpServer server;
  private final ExecutorService executor;
  private final AtomicBoolean closed = new AtomicBoolean();

  private PrometheusEndpoint(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Starts serving {@code registry} on {@value #DEFAULT_HOST}.
   *
   * @param port the TCP port, or 0 for an ephemeral one (see {@link #port()})
   * @throws UncheckedIOException if the port cannot be bound
   */
  public static PrometheusEndpoint start(PrometheusMeterRegistry registry, int port) {
    return start(registry, DEFAULT_HOST, port);
  }

  /**
   * Starts serving {@code registry} on {@code host:port}.
   *
   * @param host the host name or address to bind; {@code null} or empty means {@value
   *     #DEFAULT_HOST}
   * @param port the TCP port, or 0 for an ephemeral one (see {@link #port()})
   * @throws UncheckedIOException if the host cannot be resolved or the port bound
   * @throws IllegalArgumentException if {@code port} is outside 0..65535
   */
  public static PrometheusEndpoint start(PrometheusMeterRegistry registry, String host, int port) {
    Objects.requireNonNull(registry, "registry");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be in 0..65535, was " + port);
    }
    String bindHost = host == null || host.isBlank() ? DEFAULT_HOST : host.trim();
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(bindHost), port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot serve Prometheus metrics on " + bindHost + ":" + port, e);
    }
    // One thread is plenty for a scrape every few seconds, and bounds what a misbehaving client can
    // take.
    ExecutorService executor =
        Executors.newSingleThreadExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "threadline-prometheus-endpoint");
              thread.setDaemon(true);
              return thread;
            });
    server.setExecutor(executor);
    server.createContext("/", handler(registry));
    startAsDaemon(server, executor);
    return new PrometheusEndpoint(server, executor);
  }

  /**
   * The handler this endpoint serves, for mounting {@link #PATH} on a JDK {@code HttpServer} of
   * one's own (the bridge node does, on its single port).
   *
   * <p>It answers {@code GET} and {@code HEAD} of exactly {@value #PATH} with a scrape of {@code
   * registry}, through the Prometheus client library's {@code PrometheusScrapeHandler}: the text
   * format 0.0.4 by default, OpenMetrics 1.0 when the {@code Accept} header asks for {@code
   * application/openmetrics-text}, the protobuf format when it asks for that, gzip when {@code
   * Accept-Encoding} allows it. Other methods get 405 with {@code Allow: GET, HEAD}, other paths
   * 404. A failed scrape is answered with 500 and logged once per handler, without its stack trace
   * going to the client.
   */
  public static HttpHandler handler(PrometheusMeterRegistry registry) {
    return new ScrapeHandler(Objects.requireNonNull(registry, "registry"));
  }

  /**
   * The JDK server's dispatcher thread inherits the daemon flag of the thread calling {@code
   * start()}, and nothing else can set it. Started from an application's main thread it would keep
   * the JVM alive after main returns, so start it from a short-lived daemon thread instead (the
   * Prometheus client's own HTTPServer does the same).
   */
  private static void startAsDaemon(HttpServer server, ExecutorService executor) {
    if (Thread.currentThread().isDaemon()) {
      server.start();
      return;
    }
    FutureTask<Void> start = new FutureTask<>(server::start, null);
    Thread starter = new Thread(start, "threadline-prometheus-endpoint-start");
    starter.setDaemon(true);
    starter.start();
    try {
      start.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      server.stop(0);
      executor.shutdownNow();
      throw new IllegalStateException("Interrupted while starting the Prometheus endpoint", e);
    } catch (ExecutionException e) {
      server.stop(0);
      executor.shutdownNow();
      throw new IllegalStateException("Cannot start the Prometheus endpoint", e.getCause());
    }
  }

  /** The port actually bound: the ephemeral one chosen by the OS when started with port 0. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** The address actually bound. */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** Stops the server, dropping any scrape in progress. Idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      // No grace period: a scrape cut short is simply retried by Prometheus, and close() should not
      // block shutdown.
      server.stop(0);
      executor.shutdownNow();
    }
  }

  @Override
  public String toString() {
    return "PrometheusEndpoint{http://"
        + server.getAddress().getHostString()
        + ":"
        + port()
        + PATH
        + "}";
  }
}
