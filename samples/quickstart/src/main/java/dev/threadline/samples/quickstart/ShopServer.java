package dev.threadline.samples.quickstart;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A tiny shop on the JDK HTTP server: {@code GET /checkout} checks the stock of three items in
 * parallel on a thread pool, each with an HTTP call to {@code GET /stock/{item}}. Spans are made by
 * hand here; the Java agent makes the same ones with no code.
 */
final class ShopServer implements AutoCloseable {
  private static final List<String> ITEMS = List.of("coffee", "mug", "filter");
  private static final TextMapGetter<HttpExchange> HEADERS =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(HttpExchange exchange) {
          return exchange.getRequestHeaders().keySet();
        }

        @Override
        public String get(HttpExchange exchange, String key) {
          return exchange == null ? null : exchange.getRequestHeaders().getFirst(key);
        }
      };

  private final OpenTelemetry openTelemetry;
  private final Tracer tracer;
  private final ExecutorService stockPool;
  private final HttpServer server;
  private final HttpClient client = HttpClient.newHttpClient();

  /**
   * @param stockPool the pool the stock checks run on: wrapped by Threadline or not, which is the
   *     whole point
   */
  ShopServer(OpenTelemetry openTelemetry, ExecutorService stockPool) throws IOException {
    this.openTelemetry = openTelemetry;
    this.tracer = openTelemetry.getTracer("dev.threadline.samples.quickstart");
    this.stockPool = stockPool;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    server.createContext("/checkout", exchange -> serve(exchange, "/checkout", this::checkout));
    server.createContext("/stock/", exchange -> serve(exchange, "/stock/{item}", this::stock));
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.start();
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  private String checkout(HttpExchange exchange) {
    List<CompletableFuture<String>> checks = new ArrayList<>();
    for (String item : ITEMS) {
      checks.add(CompletableFuture.supplyAsync(() -> get("/stock/" + item), stockPool));
    }
    StringBuilder body = new StringBuilder();
    for (CompletableFuture<String> check : checks) {
      body.append(check.join()).append('\n');
    }
    return body.toString();
  }

  private String stock(HttpExchange exchange) {
    String item = exchange.getRequestURI().getPath().substring("/stock/".length());
    return item + ": in stock";
  }

  /**
   * A CLIENT span around an HTTP call, with the trace context injected into the request headers.
   */
  String get(String path) {
    Span span =
        tracer
            .spanBuilder("GET")
            .setSpanKind(SpanKind.CLIENT)
            .setAttribute("http.request.method", "GET")
            .setAttribute("url.full", uri(path).toString())
            .setAttribute("thread.name", Thread.currentThread().getName())
            .startSpan();
    try (Scope ignored = span.makeCurrent()) {
      HttpRequest.Builder request = HttpRequest.newBuilder(uri(path));
      openTelemetry
          .getPropagators()
          .getTextMapPropagator()
          .inject(Context.current(), request, HttpRequest.Builder::header);
      HttpResponse<String> response =
          client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      span.setAttribute("http.response.status_code", (long) response.statusCode());
      return response.body();
    } catch (IOException e) {
      span.setStatus(StatusCode.ERROR, e.getMessage());
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      span.end();
    }
  }

  /** A SERVER span around a handler, continuing the caller's trace from the request headers. */
  private void serve(HttpExchange exchange, String route, Handler handler) throws IOException {
    Context parent =
        openTelemetry
            .getPropagators()
            .getTextMapPropagator()
            .extract(Context.root(), exchange, HEADERS);
    Span span =
        tracer
            .spanBuilder("GET " + route)
            .setParent(parent)
            .setSpanKind(SpanKind.SERVER)
            .setAttribute("http.request.method", exchange.getRequestMethod())
            .setAttribute("http.route", route)
            .setAttribute("url.path", exchange.getRequestURI().getPath())
            .setAttribute("thread.name", Thread.currentThread().getName())
            .startSpan();
    try (Scope ignored = span.makeCurrent();
        exchange) {
      byte[] body = handler.handle(exchange).getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      span.setAttribute("http.response.status_code", 200L);
    } catch (RuntimeException e) {
      span.setStatus(StatusCode.ERROR, e.getMessage());
      exchange.sendResponseHeaders(500, -1);
    } finally {
      span.end();
    }
  }

  @Override
  public void close() {
    // Let handlers still ending their spans finish, so every span of a request is collected.
    server.stop(0);
    ExecutorService handlers = (ExecutorService) server.getExecutor();
    handlers.shutdown();
    stockPool.shutdown();
    try {
      handlers.awaitTermination(5, TimeUnit.SECONDS);
      stockPool.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private interface Handler {
    String handle(HttpExchange exchange);
  }
}
