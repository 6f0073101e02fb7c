package dev.threadline.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.threadline.sdk.testing.OtlpCollector;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Installing Threadline: bad settings, RED metrics, the Prometheus endpoint. */
class InstallTest {

  /** The bad settings below, each with the one value it must be replaced by. */
  private static final Map<String, String> BAD_SETTINGS =
      new LinkedHashMap<>(
          Map.of(
              "otel.traces.sampler", "nonsense",
              "otel.traces.sampler.arg", "abc",
              "otel.propagators", "w3c",
              "otel.bsp.max.queue.size", "lots",
              "otel.bsp.schedule.delay", "-",
              "otel.exporter.otlp.protocol", "carrier-pigeon",
              "otel.exporter.otlp.compression", "zip",
              "otel.traces.exporter", "otlp,otlp,bogus"));

  private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
  private final Logger threadlineLogger = Logger.getLogger("dev.threadline");
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          logged.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @BeforeEach
  void captureWarnings() {
    threadlineLogger.addHandler(capture);
  }

  @AfterEach
  void stopCapturing() {
    threadlineLogger.removeHandler(capture);
  }

  @Test
  void badSettingsNeverStopStartupAndSpansStillFlow() throws Exception {
    try (OtlpCollector collector = OtlpCollector.start()) {
      ThreadlineBuilder builder =
          OtlpExportTest.testBuilder()
              .setProperty("otel.exporter.otlp.endpoint", collector.baseUrl());
      BAD_SETTINGS.forEach(builder::setProperty);
      try (Threadline threadline = builder.install()) {
        Span span =
            threadline.openTelemetry().getTracer("t").spanBuilder("still works").startSpan();
        assertThat(span.getSpanContext().isSampled()).isTrue();
        span.end();
        assertThat(threadline.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(collector.spans()).hasSize(1);
        assertThat(threadline.openTelemetry().getPropagators().getTextMapPropagator().fields())
            .containsExactlyInAnyOrder("traceparent", "tracestate", "baggage");
      }
    }
    for (String key : BAD_SETTINGS.keySet()) {
      assertThat(invalidSettingWarnings()).as(key).filteredOn(names(key)).hasSize(1);
    }
    assertThat(invalidSettingWarnings()).hasSize(BAD_SETTINGS.size());
  }

  /**
   * One bad setting alone, with what the SDK then really uses read back from the SDK (its sampler,
   * its propagators, its batch processor, its queue telemetry) or from what reached the collector.
   */
  record BadSetting(
      String key,
      String value,
      Map<String, String> alongside,
      Object expected,
      EffectiveValue effective) {
    @Override
    public String toString() {
      return key + "=" + value;
    }
  }

  /** Reads the value the installed SDK really uses. */
  interface EffectiveValue {
    Object read(Threadline threadline, OtlpCollector collector) throws Exception;
  }

  static Stream<BadSetting> badSettings() {
    return Stream.of(
        new BadSetting(
            "otel.traces.sampler",
            "nonsense",
            Map.of(),
            Sampler.parentBased(Sampler.alwaysOn()).getDescription(),
            (threadline, collector) -> tracerProvider(threadline).getSampler().getDescription()),
        new BadSetting(
            "otel.traces.sampler.arg",
            "abc",
            Map.of("otel.traces.sampler", "traceidratio"),
            Sampler.traceIdRatioBased(1.0).getDescription(),
            (threadline, collector) -> tracerProvider(threadline).getSampler().getDescription()),
        new BadSetting(
            "otel.propagators",
            "w3c",
            Map.of(),
            Set.of("traceparent", "tracestate", "baggage"),
            (threadline, collector) ->
                Set.copyOf(
                    threadline.openTelemetry().getPropagators().getTextMapPropagator().fields())),
        new BadSetting(
            "otel.bsp.max.queue.size",
            "lots",
            Map.of(),
            2048.0,
            (threadline, collector) -> {
              // The SDK publishes its queue's capacity once the first span reached the queue.
              exportOne(threadline, collector);
              return threadline
                  .meterRegistry()
                  .get("threadline.spans.queue.capacity")
                  .gauge()
                  .value();
            }),
        new BadSetting(
            "otel.bsp.schedule.delay",
            "-",
            Map.of(),
            List.of(Duration.ofSeconds(5).toNanos()),
            (threadline, collector) -> scheduleDelaysNanos(threadline)),
        new BadSetting(
            "otel.exporter.otlp.protocol",
            "carrier-pigeon",
            Map.of(),
            List.of("POST /v1/traces application/x-protobuf"),
            (threadline, collector) ->
                exportOne(threadline, collector).stream()
                    .map(r -> r.method() + " " + r.path() + " " + r.contentType())
                    .toList()),
        new BadSetting(
            "otel.exporter.otlp.compression",
            "zip",
            Map.of(),
            Collections.singletonList(null),
            (threadline, collector) ->
                exportOne(threadline, collector).stream()
                    .map(OtlpCollector.Received::contentEncoding)
                    .toList()),
        new BadSetting(
            "otel.traces.exporter",
            "otlp,otlp,bogus",
            Map.of(),
            List.of(1),
            (threadline, collector) ->
                exportOne(threadline, collector).stream()
                    .map(r -> r.body().getResourceSpans(0).getScopeSpans(0).getSpansCount())
                    .toList()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badSettings")
  void aBadSettingGetsOneWarningAndTheDefaultIsWhatTheSdkUses(BadSetting bad) throws Exception {
    assertThat(BAD_SETTINGS).containsEntry(bad.key(), bad.value());
    try (OtlpCollector collector = OtlpCollector.start()) {
      ThreadlineBuilder builder =
          OtlpExportTest.testBuilder()
              .setProperty("otel.exporter.otlp.endpoint", collector.baseUrl())
              .setProperty(bad.key(), bad.value());
      bad.alongside().forEach(builder::setProperty);
      try (Threadline threadline = builder.install()) {
        assertThat(invalidSettingWarnings())
            .singleElement()
            .satisfies(
                message ->
                    assertThat(message)
                        .startsWith("Threadline: invalid " + bad.key() + " (or ")
                        .contains("'" + bad.value() + "'"));
        assertThat(bad.effective().read(threadline, collector))
            .as("effective value; the SDK: %s", tracerProvider(threadline))
            .isEqualTo(bad.expected());
      }
    }
  }

  private List<String> invalidSettingWarnings() {
    return logged.stream()
        .filter(record -> record.getLevel() == Level.WARNING)
        .map(LogRecord::getMessage)
        .filter(message -> message.startsWith("Threadline: invalid "))
        .toList();
  }

  private static java.util.function.Predicate<String> names(String key) {
    return message -> message.startsWith("Threadline: invalid " + key + " (or ");
  }

  private static SdkTracerProvider tracerProvider(Threadline threadline) {
    return ((OpenTelemetrySdk) threadline.openTelemetry()).getSdkTracerProvider();
  }

  /**
   * The schedule delay of every batch processor, as the SDK describes its own processors (each
   * appears once in the list of all processors).
   */
  private static List<Long> scheduleDelaysNanos(Threadline threadline) {
    String described = tracerProvider(threadline).toString();
    Matcher delays =
        Pattern.compile("scheduleDelayNanos=(\\d+)")
            .matcher(described.substring(described.indexOf("spanProcessorsAll=")));
    List<Long> found = new ArrayList<>();
    while (delays.find()) {
      found.add(Long.parseLong(delays.group(1)));
    }
    return found;
  }

  /** Ends one span, flushes, and returns every request the collector received. */
  private static List<OtlpCollector.Received> exportOne(
      Threadline threadline, OtlpCollector collector) {
    threadline.openTelemetry().getTracer("t").spanBuilder("one").startSpan().end();
    assertThat(threadline.flush(Duration.ofSeconds(10))).isTrue();
    return collector.requests();
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
