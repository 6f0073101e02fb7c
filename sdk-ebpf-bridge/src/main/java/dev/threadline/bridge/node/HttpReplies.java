package dev.threadline.bridge.node;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes one whole response on a JDK {@code HttpServer} exchange, {@code HEAD} included: a HEAD
 * answer carries the headers a GET would, its {@code Content-Length} too, and no body. (Given a
 * body length for HEAD, the JDK server logs a warning on every request and writes no length.) Used
 * by every handler of the node; stateless, any thread.
 */
public final class HttpReplies {
  private HttpReplies() {}

  /** Sends {@code status} with {@code body} (not for HEAD) as {@code contentType}. */
  public static void send(HttpExchange exchange, int status, String contentType, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    if ("HEAD".equals(exchange.getRequestMethod())) {
      exchange.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    // 0 would mean "chunked" to the JDK server; -1 is an empty body with Content-Length: 0.
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }
}
