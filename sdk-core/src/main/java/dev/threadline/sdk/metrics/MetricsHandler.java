package dev.threadline.sdk.metrics;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Answers {@link PrometheusEndpoint#PATH} with a scrape of the registry; see {@link
 * PrometheusEndpoint}.
 */
final class MetricsHandler implements HttpHandler {

  static final String TEXT_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  static final String OPENMETRICS_CONTENT_TYPE =
      "application/openmetrics-text; version=1.0.0; charset=utf-8";

  private static final Logger logger = Logger.getLogger("dev.threadline");

  private final PrometheusMeterRegistry registry;
  private final AtomicBoolean failureLogged = new AtomicBoolean();

  MetricsHandler(PrometheusMeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!PrometheusEndpoint.PATH.equals(exchange.getRequestURI().getPath())) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      String method = exchange.getRequestMethod();
      boolean head = "HEAD".equals(method);
      if (!head && !"GET".equals(method)) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      String contentType = contentType(exchange.getRequestHeaders());
      exchange.getResponseHeaders().set("Content-Type", contentType);
      if (head) {
        exchange.sendResponseHeaders(200, -1);
        return;
      }
      byte[] body;
      try {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(16 * 1024);
        // Always one of the two text types chosen here, never the client's raw Accept header, so
        // that the
        // registry picks the writer whose content type was just announced (and never the protobuf
        // one).
        registry.scrape(buffer, contentType);
        body = buffer.toByteArray();
      } catch (IOException | RuntimeException e) {
        logFailureOnce(e);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(500, -1);
        return;
      }
      // Buffered rather than streamed so the response has a Content-Length and a failed scrape can
      // still be a 500.
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /**
   * OpenMetrics when any Accept header asks for it, as Prometheus does by default; the classic text
   * otherwise.
   */
  static String contentType(Headers requestHeaders) {
    List<String> accepts = requestHeaders.get("Accept");
    if (accepts != null) {
      for (String accept : accepts) {
        if (accept != null && accept.contains("application/openmetrics-text")) {
          return OPENMETRICS_CONTENT_TYPE;
        }
      }
    }
    return TEXT_CONTENT_TYPE;
  }

  private void logFailureOnce(Exception e) {
    if (failureLogged.compareAndSet(false, true)) {
      logger.log(
          Level.WARNING,
          "Threadline Prometheus endpoint: scrape failed; further failures not logged",
          e);
    }
  }
}
