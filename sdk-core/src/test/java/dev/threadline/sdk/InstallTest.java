package dev.threadline.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.threadline.sdk.testing.OtlpCollector;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class InstallTest {

  @Test
  void badSettingsNeverStopStartupAndSpansStillFlow() throws Exception {
    try (OtlpCollector collector = OtlpCollector.start();
        Threadline threadline =
            OtlpExportTest.testBuilder()
                .setProperty("otel.exporter.otlp.endpoint", collector.baseUrl())
                .setProperty("otel.traces.sampler", "nonsense")
                .setProperty("otel.traces.sampler.arg", "abc")
                .setProperty("otel.propagators", "w3c")
                .setProperty("otel.bsp.max.queue.size", "lots")
                .setProperty("otel.bsp.schedule.delay", "-")
                .setProperty("otel.exporter.otlp.protocol", "carrier-pigeon")
                .setProperty("otel.exporter.otlp.compression", "zip")
                .setProperty("otel.traces.exporter", "otlp,otlp,bogus")
                .install()) {
      Span span = threadline.openTelemetry().getTracer("t").spanBuilder("still works").startSpan();
      assertThat(span.getSpanContext().isSampled()).isTrue();
      span.end();
      assertThat(threadline.flush(Duration.ofSeconds(10))).isTrue();
      assertThat(collector.awaitSpans(1, Duration.ofSeconds(5))).hasSize(1);
      assertThat(threadline.openTelemetry().getPropagators().getTextMapPropagator().fields())
          .contains("traceparent", "baggage");
    }
  }

  @Test
  void redMetricsGoToTheApplicationsRegistry() {
    SimpleMeterRegistry appRegistry = new SimpleMeterRegistry();
    try (Threadline threadline =
        OtlpExportTest.testBuilder()
            .setProperty("otel.traces.exporter", "none")
            .setMeterRegistry(appRegistry)
            .install()) {
      threadline
          .openTelemetry()
          .getTracer("t")
          .spanBuilder("GET /cart")
          .setSpanKind(SpanKind.SERVER)
          .setAttribute("http.request.method", "GET")
          .setAttribute("http.route", "/cart")
          .setAttribute("http.response.status_code", 200L)
          .startSpan()
          .end();
      assertThat(threadline.meterRegistry()).isSameAs(appRegistry);
      assertThat(
              appRegistry
                  .get("threadline.http.server.duration")
                  .tag("service", "export-test")
                  .tag("http.route", "/cart")
                  .timer()
                  .count())
          .isEqualTo(1);
    }
  }

  @Test
  void prometheusEndpointServesRedMetricsOnLoopback() throws Exception {
    try (Threadline threadline =
        OtlpExportTest.testBuilder()
            .setProperty("otel.traces.exporter", "none")
            .setProperty("threadline.metrics.prometheus.port", "0")
            .install()) {
      threadline
          .openTelemetry()
          .getTracer("t")
          .spanBuilder("GET /items")
          .setSpanKind(SpanKind.SERVER)
          .setAttribute("http.request.method", "GET")
          .setAttribute("http.route", "/items")
          .setAttribute("http.response.status_code", 503L)
          .startSpan()
          .end();
      int port = threadline.prometheusPort();
      assertThat(port).isPositive();
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body())
          .contains("threadline_http_server_duration_seconds_count{")
          .contains("http_route=\"/items\"")
          .contains("status_class=\"5xx\"")
          .contains("error=\"true\"")
          .contains("threadline_spans_dropped_total");
    }
  }
}
