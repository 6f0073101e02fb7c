package dev.threadline.sdk.metrics;

import com.sun.net.httpserver.HttpExchange;
import io.prometheus.metrics.exporter.common.PrometheusHttpExchange;
import io.prometheus.metrics.exporter.common.PrometheusHttpRequest;
import io.prometheus.metrics.exporter.common.PrometheusHttpResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.function.Consumer;

/**
 * One JDK {@link HttpExchange} as the Prometheus library's exchange. Unlike the library's own
 * adapter it answers a failed scrape with a bare 500 (the cause goes to the log, once, not to the
 * client), and it never gives the JDK server a body or a length for a {@code HEAD} request: the
 * server would log a warning for each one.
 */
final class ScrapeExchange implements PrometheusHttpExchange {

  private final HttpExchange exchange;
  private final Consumer<Exception> failures;
  private final boolean head;

  ScrapeExchange(HttpExchange exchange, Consumer<Exception> failures) {
    this.exchange = exchange;
    this.failures = failures;
    this.head = "HEAD".equals(exchange.getRequestMethod());
  }

  @Override
  public PrometheusHttpRequest getRequest() {
    return new PrometheusHttpRequest() {
      @Override
      public String getQueryString() {
        return exchange.getRequestURI().getRawQuery();
      }

      @Override
      public Enumeration<String> getHeaders(String name) {
        List<String> values = exchange.getRequestHeaders().get(name);
        return values == null ? Collections.emptyEnumeration() : Collections.enumeration(values);
      }

      @Override
      public String getMethod() {
        return exchange.getRequestMethod();
      }

      @Override
      public String getRequestPath() {
        return exchange.getRequestURI().getPath();
      }
    };
  }

  @Override
  public PrometheusHttpResponse getResponse() {
    return new PrometheusHttpResponse() {
      @Override
      public void setHeader(String name, String value) {
        exchange.getResponseHeaders().set(name, value);
      }

      @Override
      public OutputStream sendHeadersAndGetBody(int statusCode, int contentLength)
          throws IOException {
        if (head) {
          exchange.sendResponseHeaders(statusCode, -1);
          return OutputStream.nullOutputStream();
        }
        exchange.sendResponseHeaders(statusCode, contentLength);
        return exchange.getResponseBody();
      }
    };
  }

  @Override
  public void handleException(IOException e) {
    failed(e);
  }

  @Override
  public void handleException(RuntimeException e) {
    failed(e);
  }

  private void failed(Exception e) {
    failures.accept(e);
    if (exchange.getResponseCode() == -1) {
      try {
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(500, -1);
      } catch (IOException ignored) {
        // The client is gone; the failure is already logged.
      }
    }
  }

  @Override
  public void close() {
    exchange.close();
  }
}
