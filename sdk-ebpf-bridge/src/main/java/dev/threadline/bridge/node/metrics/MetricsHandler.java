package dev.threadline.bridge.node.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * Answers {@code GET /metrics} with a Prometheus scrape: the text format 0.0.4, or OpenMetrics when
 * the {@code Accept} header asks for it (as Prometheus does). Same contract as sdk-core's endpoint,
 * but mounted on the node's own port instead of a second one.
 */
public final class MetricsHandler implements HttpHandler {
  static final String TEXT = "text/plain; version=0.0.4; charset=utf-8";
  static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";

  private final PrometheusMeterRegistry registry;

  public MetricsHandler(PrometheusMeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"/metrics".equals(exchange.getRequestURI().getPath())) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      if (!"GET".equals(exchange.getRequestMethod())
          && !"HEAD".equals(exchange.getRequestMethod())) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      String contentType = TEXT;
      List<String> accepts = exchange.getRequestHeaders().get("Accept");
      if (accepts != null
          && accepts.stream().anyMatch(a -> a.contains("application/openmetrics-text"))) {
        contentType = OPENMETRICS;
      }
      ByteArrayOutputStream buffer = new ByteArrayOutputStream(8 * 1024);
      registry.scrape(buffer, contentType);
      byte[] body = buffer.toByteArray();
      exchange.getResponseHeaders().set("Content-Type", contentType);
      if ("HEAD".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(200, -1);
        return;
      }
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }
}
