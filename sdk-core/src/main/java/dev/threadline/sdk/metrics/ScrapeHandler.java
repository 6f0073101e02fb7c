package dev.threadline.sdk.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.exporter.common.PrometheusScrapeHandler;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Answers {@link PrometheusEndpoint#PATH} with a scrape of the registry; see {@link
 * PrometheusEndpoint#handler}. Paths and methods are checked here; the scrape itself, the content
 * negotiation and the exposition formats are the Prometheus library's {@link
 * PrometheusScrapeHandler}, run over the registry's own {@code PrometheusRegistry}.
 */
final class ScrapeHandler implements HttpHandler {

  private static final Logger logger = Logger.getLogger("dev.threadline");

  private final PrometheusScrapeHandler scrape;
  private final AtomicBoolean failureLogged = new AtomicBoolean();

  ScrapeHandler(PrometheusMeterRegistry registry) {
    this.scrape = new PrometheusScrapeHandler(registry.getPrometheusRegistry());
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    if (!PrometheusEndpoint.PATH.equals(exchange.getRequestURI().getPath())) {
      try (exchange) {
        exchange.sendResponseHeaders(404, -1);
      }
      return;
    }
    String method = exchange.getRequestMethod();
    if (!"GET".equals(method) && !"HEAD".equals(method)) {
      try (exchange) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        exchange.sendResponseHeaders(405, -1);
      }
      return;
    }
    // Closes the exchange whatever happens.
    scrape.handleRequest(new ScrapeExchange(exchange, this::logFailureOnce));
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
