package dev.threadline.sdk.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.prometheus.metrics.model.registry.Collector;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PrometheusEndpointTest {

  private static final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private PrometheusMeterRegistry registry;
  private SdkTracerProvider tracerProvider;
  private PrometheusEndpoint endpoint;

  @BeforeEach
  void setUp() {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    tracerProvider =
        SdkTracerProvider.builder()
            .setResource(Resource.create(Attributes.builder().put("service.name", "shop").build()))
            .addSpanProcessor(RedMetrics.spanProcessor(registry))
            .build();
    Tracer tracer = tracerProvider.get("test");
    Span span =
        tracer
            .spanBuilder("GET /orders/{id}")
            .setSpanKind(SpanKind.SERVER)
            .setAttribute("http.request.method", "GET")
            .setAttribute("http.route", "/orders/{id}")
            .setAttribute("http.response.status_code", 200L)
            .setStartTimestamp(1_000_000_000L, TimeUnit.NANOSECONDS)
            .startSpan();
    span.end(1_000_000_000L + TimeUnit.MILLISECONDS.toNanos(42), TimeUnit.NANOSECONDS);
    endpoint = PrometheusEndpoint.start(registry, "127.0.0.1", 0);
  }

  @AfterEach
  void tearDown() {
    endpoint.close();
    tracerProvider.close();
    registry.close();
  }

  private HttpResponse<String> send(HttpRequest.Builder request)
      throws IOException, InterruptedException {
    return client.send(
        request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + path));
  }

  @Test
  void servesHistogramBucketsInPrometheusTextFormat() throws Exception {
    HttpResponse<String> response = send(request("/metrics").GET());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValue("text/plain; version=0.0.4; charset=utf-8");
    String labels =
        "error=\"false\",http_request_method=\"GET\",http_route=\"/orders/{id}\",service=\"shop\","
            + "status_class=\"2xx\"";
    assertThat(response.body())
        .contains("# TYPE threadline_http_server_duration_seconds histogram")
        .contains("threadline_http_server_duration_seconds_bucket{" + labels + ",le=\"+Inf\"} 1")
        .contains("threadline_http_server_duration_seconds_count{" + labels + "} 1")
        .contains("threadline_http_server_duration_seconds_sum{" + labels + "} 0.042")
        .contains("threadline_http_route_overflow_total{kind=\"server\"} 0.0");

    // Cumulative buckets: empty below the 42 ms span, holding it from the first bound above.
    String bucketPrefix = "threadline_http_server_duration_seconds_bucket{" + labels + ",le=\"";
    List<String> buckets =
        response
            .body()
            .lines()
            .filter(line -> line.startsWith(bucketPrefix))
            .collect(Collectors.toList());
    assertThat(buckets).hasSizeGreaterThan(10);
    for (String line : buckets) {
      String le = line.substring(bucketPrefix.length(), line.indexOf('"', bucketPrefix.length()));
      double bound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
      assertThat(line).as("bucket le=%s", le).endsWith(bound < 0.042 ? "} 0" : "} 1");
    }
  }

  @Test
  void servesOpenMetricsWhenAskedFor() throws Exception {
    // What Prometheus itself sends.
    HttpResponse<String> response =
        send(
            request("/metrics")
                .header(
                    "Accept",
                    "application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.4,*/*;q=0.1"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValue("application/openmetrics-text; version=1.0.0; charset=utf-8");
    assertThat(response.body())
        .contains("threadline_http_server_duration_seconds_bucket{")
        .endsWith("# EOF\n");
  }

  @Test
  void headAnswersWithHeadersOnly() throws Exception {
    HttpResponse<String> response =
        send(request("/metrics").method("HEAD", HttpRequest.BodyPublishers.noBody()));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValue("text/plain; version=0.0.4; charset=utf-8");
    assertThat(response.body()).isEmpty();
  }

  @Test
  void headWithGzipAllowedMakesTheServerLogNothing() throws Exception {
    List<LogRecord> records = new CopyOnWriteArrayList<>();
    Handler recorder = recorder(records);
    Logger serverLogger = Logger.getLogger("com.sun.net.httpserver");
    serverLogger.addHandler(recorder);
    try {
      HttpResponse<String> response =
          send(
              request("/metrics")
                  .header("Accept-Encoding", "gzip")
                  .method("HEAD", HttpRequest.BodyPublishers.noBody()));
      HttpResponse<String> plain =
          send(request("/metrics").method("HEAD", HttpRequest.BodyPublishers.noBody()));

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Encoding")).hasValue("gzip");
      assertThat(response.body()).isEmpty();
      assertThat(plain.statusCode()).isEqualTo(200);
    } finally {
      serverLogger.removeHandler(recorder);
    }
    assertThat(records).extracting(LogRecord::getMessage).isEmpty();
  }

  @Test
  void aFailedScrapeIsA500WithoutDetailsAndIsLoggedOnce() throws Exception {
    registry
        .getPrometheusRegistry()
        .register(
            (Collector)
                () -> {
                  throw new IllegalStateException("collector broke");
                });
    List<LogRecord> records = new CopyOnWriteArrayList<>();
    Handler recorder = recorder(records);
    Logger threadlineLogger = Logger.getLogger("dev.threadline");
    threadlineLogger.addHandler(recorder);
    try {
      HttpResponse<String> first = send(request("/metrics").GET());
      HttpResponse<String> second = send(request("/metrics").GET());

      assertThat(first.statusCode()).isEqualTo(500);
      assertThat(first.body()).isEmpty();
      assertThat(second.statusCode()).isEqualTo(500);
    } finally {
      threadlineLogger.removeHandler(recorder);
    }
    assertThat(records).hasSize(1);
    assertThat(records.get(0).getThrown()).hasMessage("collector broke");
  }

  private static Handler recorder(List<LogRecord> records) {
    return new Handler() {
      @Override
      public void publish(LogRecord record) {
        records.add(record);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
  }

  @Test
  void otherPathsAreNotFound() throws Exception {
    assertThat(send(request("/").GET()).statusCode()).isEqualTo(404);
    assertThat(send(request("/metricsx").GET()).statusCode()).isEqualTo(404);
    assertThat(send(request("/metrics/other").GET()).statusCode()).isEqualTo(404);
  }

  @Test
  void otherMethodsAreNotAllowed() throws Exception {
    HttpResponse<String> response =
        send(request("/metrics").POST(HttpRequest.BodyPublishers.ofString("x")));

    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(response.headers().firstValue("Allow")).hasValue("GET, HEAD");
    assertThat(send(request("/metrics").DELETE()).statusCode()).isEqualTo(405);
  }

  @Test
  void bindsToLoopbackOnAnEphemeralPort() {
    assertThat(endpoint.port()).isPositive();
    assertThat(endpoint.address().getAddress().isLoopbackAddress()).isTrue();
  }

  @Test
  void defaultHostIsLoopback() {
    try (PrometheusEndpoint byDefault = PrometheusEndpoint.start(registry, 0);
        PrometheusEndpoint nullHost = PrometheusEndpoint.start(registry, null, 0)) {
      assertThat(byDefault.address().getAddress().isLoopbackAddress()).isTrue();
      assertThat(nullHost.address().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
    }
  }

  @Test
  void serverThreadsAreDaemons() {
    Set<Thread> before = Thread.getAllStackTraces().keySet();
    try (PrometheusEndpoint another = PrometheusEndpoint.start(registry, 0)) {
      Set<Thread> started =
          Thread.getAllStackTraces().keySet().stream()
              .filter(thread -> !before.contains(thread))
              .filter(thread -> thread.getName().startsWith("HTTP-Dispatcher"))
              .collect(Collectors.toSet());
      assertThat(started).isNotEmpty().allMatch(Thread::isDaemon);
    }
  }

  @Test
  void closeStopsServingAndIsIdempotent() throws Exception {
    int port = endpoint.port();
    assertThat(send(request("/metrics").GET()).statusCode()).isEqualTo(200);

    endpoint.close();
    endpoint.close();

    // The port is free again once the server is gone.
    try (ServerSocket socket =
        new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
      assertThat(socket.getLocalPort()).isEqualTo(port);
    }
  }

  @Test
  void anOccupiedPortFailsFast() throws Exception {
    assertThatThrownBy(() -> PrometheusEndpoint.start(registry, "127.0.0.1", endpoint.port()))
        .isInstanceOf(UncheckedIOException.class);
    assertThatThrownBy(() -> PrometheusEndpoint.start(registry, "127.0.0.1", 70000))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
