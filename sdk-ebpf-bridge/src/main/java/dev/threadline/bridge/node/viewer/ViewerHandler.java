package dev.threadline.bridge.node.viewer;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.threadline.bridge.node.HttpReplies;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Serves the trace viewer: one static HTML page, its script and its style sheet, from the classpath
 * ({@code /node/}). The page talks to the query API on the same origin; a Content-Security-Policy
 * limits it to that origin, so attribute values shown by the page can never load or run anything
 * else.
 */
public final class ViewerHandler implements HttpHandler {
  private record Asset(byte[] body, String contentType) {}

  private static final String CSP =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
          + "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

  private final Map<String, Asset> assets;

  public ViewerHandler() {
    assets =
        Map.of(
            "/", load("index.html", "text/html; charset=utf-8"),
            "/index.html", load("index.html", "text/html; charset=utf-8"),
            "/viewer.js", load("viewer.js", "text/javascript; charset=utf-8"),
            "/viewer.css", load("viewer.css", "text/css; charset=utf-8"));
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Asset asset = assets.get(exchange.getRequestURI().getPath());
      if (asset == null) {
        HttpReplies.send(
            exchange,
            404,
            "text/plain; charset=utf-8",
            "not found\n".getBytes(StandardCharsets.UTF_8));
        return;
      }
      String method = exchange.getRequestMethod();
      if (!"GET".equals(method) && !"HEAD".equals(method)) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      exchange.getResponseHeaders().set("Content-Security-Policy", CSP);
      exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
      exchange.getResponseHeaders().set("Cache-Control", "no-cache");
      HttpReplies.send(exchange, 200, asset.contentType(), asset.body());
    }
  }

  private static Asset load(String name, String contentType) {
    try (InputStream in = ViewerHandler.class.getResourceAsStream("/node/" + name)) {
      if (in == null) {
        throw new IllegalStateException(
            "viewer resource /node/" + name + " missing from the classpath");
      }
      return new Asset(in.readAllBytes(), contentType);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
