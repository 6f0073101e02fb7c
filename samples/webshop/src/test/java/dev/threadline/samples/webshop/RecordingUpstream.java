package dev.threadline.samples.webshop;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The service behind the gateway in {@link KongGatewayIT}: a real HTTP server on loopback that
 * remembers the headers each request arrived with, by path. A path with {@code /slow/} is answered
 * after 100 ms, one with {@code /fail/} with 503; everything else at once with 200.
 */
final class RecordingUpstream implements AutoCloseable {
  static final Duration SLOW = Duration.ofMillis(100);

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final Map<String, Map<String, String>> received = new ConcurrentHashMap<>();

  RecordingUpstream() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  String address() {
    return "127.0.0.1:" + port();
  }

  int port() {
    return server.getAddress().getPort();
  }

  /**
   * The headers (names in lower case, first value) of the request to {@code path} with its query,
   * if it arrived.
   */
  Optional<Map<String, String>> headers(String pathAndQuery) {
    return Optional.ofNullable(received.get(pathAndQuery));
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      try (InputStream in = exchange.getRequestBody()) {
        in.readAllBytes();
      }
      Map<String, String> headers = new ConcurrentHashMap<>();
      exchange
          .getRequestHeaders()
          .forEach((name, values) -> headers.put(name.toLowerCase(), values.get(0)));
      received.put(exchange.getRequestURI().toString(), headers);
      String path = exchange.getRequestURI().getPath();
      if (path.contains("/slow/")) {
        Thread.sleep(SLOW.toMillis());
      }
      byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(path.contains("/fail/") ? 503 : 200, body.length);
      exchange.getResponseBody().write(body);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
