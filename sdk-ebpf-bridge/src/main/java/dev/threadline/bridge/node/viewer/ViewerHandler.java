package dev.threadline.bridge.node.viewer;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
        byte[] body = "not found\n".getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(404, body.length);
        exchange.getResponseBody().write(body);
        return;
      }
      String method = exchange.getRequestMethod();
      if (!"GET".equals(method) && !"HEAD".equals(method)) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      exchange.getResponseHeaders().set("Content-Type", asset.contentType());
      exchange.getResponseHeaders().set("Content-Security-Policy", CSP);
      exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
      exchange.getResponseHeaders().set("Cache-Control", "no-cache");
      if ("HEAD".equals(method)) {
        exchange.sendResponseHeaders(200, -1);
        return;
      }
      exchange.sendResponseHeaders(200, asset.body().length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(asset.body());
      }
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
