package dev.threadline.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.threadline.sdk.testing.OtlpCollector;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.AttributeType;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Spans go out over OTLP/HTTP protobuf to a real HTTP endpoint and arrive with every field intact.
 */
class OtlpExportTest {
  private OtlpCollector collector;

  @BeforeEach
  void startCollector() throws Exception {
    collector = OtlpCollector.start();
  }

  @AfterEach
  void stopCollector() {
    collector.close();
  }

  @Test
  void exportsSpanTreeToBaseEndpoint() throws Exception {
    try (Threadline threadline =
        testBuilder()
            .setProperty("otel.exporter.otlp.endpoint", collector.baseUrl())
            .setProperty("otel.resource.attributes", "deployment.environment.name=test,team=shop")
            .install()) {
      Tracer tracer = threadline.openTelemetry().getTracer("dev.threadline.test", "1.0");
      Span server =
          tracer
              .spanBuilder("GET /items/{id}")
              .setSpanKind(SpanKind.SERVER)
              .setAttribute("http.request.method", "GET")
              .setAttribute("http.route", "/items/{id}")
              .setAttribute("http.response.status_code", 500L)
              .startSpan();
      try (Scope ignored = server.makeCurrent()) {
        Span client =
            tracer
                .spanBuilder("SELECT items")
                .setSpanKind(SpanKind.CLIENT)
                .setAttribute("db.system", "h2")
                .startSpan();
        client.end();
      }
      server.setStatus(StatusCode.ERROR, "boom");
      server.end();

      assertThat(threadline.flush(Duration.ofSeconds(10))).isTrue();
      assertThat(threadline.exportStats().exportedSpans()).isEqualTo(2);
    }

    OtlpCollector.Received request = collector.requests().get(0);
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.path()).isEqualTo("/v1/traces");
    assertThat(request.contentType()).isEqualTo("application/x-protobuf");

    ResourceSpans resourceSpans = request.body().getResourceSpans(0);
    assertThat(stringAttribute(resourceSpans.getResource().getAttributesList(), "service.name"))
        .isEqualTo("export-test");
    assertThat(stringAttribute(resourceSpans.getResource().getAttributesList(), "team"))
        .isEqualTo("shop");
    ScopeSpans scopeSpans = resourceSpans.getScopeSpans(0);
    assertThat(scopeSpans.getScope().getName()).isEqualTo("dev.threadline.test");
    assertThat(scopeSpans.getScope().getVersion()).isEqualTo("1.0");

    List<io.opentelemetry.proto.trace.v1.Span> spans = collector.spans();
    io.opentelemetry.proto.trace.v1.Span serverSpan = byName(spans, "GET /items/{id}");
    io.opentelemetry.proto.trace.v1.Span clientSpan = byName(spans, "SELECT items");
    assertThat(serverSpan.getKind())
        .isEqualTo(io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_SERVER);
    assertThat(clientSpan.getKind())
        .isEqualTo(io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_CLIENT);
    assertThat(serverSpan.getTraceId().size()).isEqualTo(16);
    assertThat(serverSpan.getSpanId().size()).isEqualTo(8);
    assertThat(serverSpan.getParentSpanId().isEmpty()).isTrue();
    assertThat(clientSpan.getTraceId()).isEqualTo(serverSpan.getTraceId());
    assertThat(clientSpan.getParentSpanId()).isEqualTo(serverSpan.getSpanId());
    assertThat(serverSpan.getStatus().getCode())
        .isEqualTo(io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_ERROR);
    assertThat(serverSpan.getStatus().getMessage()).isEqualTo("boom");
    assertThat(stringAttribute(serverSpan.getAttributesList(), "http.route"))
        .isEqualTo("/items/{id}");
    assertThat(serverSpan.getEndTimeUnixNano())
        .isGreaterThanOrEqualTo(serverSpan.getStartTimeUnixNano());
    assertThat(clientSpan.getStartTimeUnixNano())
        .isGreaterThanOrEqualTo(serverSpan.getStartTimeUnixNano());
  }

  @Test
  void fullTracesEndpointIsUsedAsGiven() throws Exception {
    // DeepFlow's agent receives OTLP on a path of its own; a full traces URL must be used verbatim.
    String deepflowStyle = collector.baseUrl() + "/api/v1/otel/trace";
    try (Threadline threadline = testBuilder().setTracesEndpoint(deepflowStyle).install()) {
      Span span = threadline.openTelemetry().getTracer("t").spanBuilder("hop").startSpan();
      String traceId = span.getSpanContext().getTraceId();
      span.end();
      assertThat(threadline.flush(Duration.ofSeconds(10))).isTrue();

      assertThat(collector.requests())
          .extracting(OtlpCollector.Received::path)
          .containsOnly("/api/v1/otel/trace");
      assertThat(HexFormat.of().formatHex(collector.spans().get(0).getTraceId().toByteArray()))
          .isEqualTo(traceId);
    }
  }

  @Test
  void credentialHeadersNeverLeaveTheProcess() throws Exception {
    try (Threadline threadline =
        testBuilder().setProperty("otel.exporter.otlp.endpoint", collector.baseUrl()).install()) {
      threadline
          .openTelemetry()
          .getTracer("t")
          .spanBuilder("GET /")
          .setSpanKind(SpanKind.SERVER)
          .setAttribute(
              AttributeKey.stringArrayKey("http.request.header.authorization"),
              List.of("Bearer secret-token"))
          .setAttribute(
              AttributeKey.stringArrayKey("http.request.header.x-api-key"), List.of("k-123"))
          .setAttribute(
              AttributeKey.stringArrayKey("http.response.header.set-cookie"), List.of("s=1"))
          .setAttribute(
              AttributeKey.stringArrayKey("http.request.header.accept"), List.of("text/html"))
          .startSpan()
          .end();
      assertThat(threadline.flush(Duration.ofSeconds(10))).isTrue();
    }

    io.opentelemetry.proto.trace.v1.Span span = collector.spans().get(0);
    assertThat(span.toString()).doesNotContain("secret-token", "k-123", "s=1");
    assertThat(arrayAttribute(span.getAttributesList(), "http.request.header.authorization"))
        .containsExactly("REDACTED");
    assertThat(arrayAttribute(span.getAttributesList(), "http.request.header.accept"))
        .containsExactly("text/html");
  }

  @Test
  void urlSecretsNeverLeaveTheProcess() throws Exception {
    String query = "q=boots&access_token=at-111&api_key=ak-222&password=pw-333";
    try (Threadline threadline =
        testBuilder().setProperty("otel.exporter.otlp.endpoint", collector.baseUrl()).install()) {
      threadline
          .openTelemetry()
          .getTracer("t")
          .spanBuilder("GET /search")
          .setSpanKind(SpanKind.CLIENT)
          .setAttribute("url.full", "https://user:pw-444@shop.example/search?" + query)
          .setAttribute("url.query", query)
          .setAttribute("url.path", "/search")
          .setAttribute("http.url", "https://user:pw-444@shop.example/search?" + query)
          .setAttribute("http.target", "/search?" + query)
          .setAttribute("http.route", "/search")
          .startSpan()
          .end();
      assertThat(threadline.flush(Duration.ofSeconds(10))).isTrue();
    }

    assertThat(collector.spans()).hasSize(1);
    assertThat(collector.requests().get(0).body().toString())
        .doesNotContain("at-111", "ak-222", "pw-333", "pw-444", "user:");
    List<KeyValue> attributes = collector.spans().get(0).getAttributesList();
    String redactedQuery = "q=boots&access_token=REDACTED&api_key=REDACTED&password=REDACTED";
    assertThat(stringAttribute(attributes, "url.full"))
        .isEqualTo("https://shop.example/search?" + redactedQuery);
    assertThat(stringAttribute(attributes, "http.url"))
        .isEqualTo("https://shop.example/search?" + redactedQuery);
    assertThat(stringAttribute(attributes, "url.query")).isEqualTo(redactedQuery);
    assertThat(stringAttribute(attributes, "http.target")).isEqualTo("/search?" + redactedQuery);
    assertThat(stringAttribute(attributes, "url.path")).isEqualTo("/search");
    assertThat(stringAttribute(attributes, "http.route")).isEqualTo("/search");
  }

  @Test
  void theRedactedParametersCanBeConfigured() throws Exception {
    try (Threadline threadline =
        testBuilder()
            .setProperty("otel.exporter.otlp.endpoint", collector.baseUrl())
            .setProperty("threadline.redact.query.parameters", "otp, Ticket")
            .install()) {
      threadline
          .openTelemetry()
          .getTracer("t")
          .spanBuilder("GET /in")
          .setAttribute("url.query", "otp=123456&ticket=tk-1&token=kept")
          .startSpan()
          .end();
      assertThat(threadline.flush(Duration.ofSeconds(10))).isTrue();
    }
    // The list replaces the defaults: token is no longer on it.
    assertThat(stringAttribute(collector.spans().get(0).getAttributesList(), "url.query"))
        .isEqualTo("otp=REDACTED&ticket=REDACTED&token=kept");
  }

  /**
   * The credential headers the user guide lists ("Secrets stay home"): {@code Authorization},
   * {@code Proxy-Authorization}, {@code Cookie}, {@code Set-Cookie}, {@code X-Auth-Token} and any
   * header whose name contains {@code api-key} or {@code apikey}.
   */
  private static final List<String> CREDENTIAL_HEADERS =
      List.of(
          "Authorization",
          "Proxy-Authorization",
          "Cookie",
          "Set-Cookie",
          "X-Auth-Token",
          "X-Api-Key",
          "Api-Key",
          "X-Goog-Api-Key",
          "X-ApiKey",
          "ApiKey");

  /**
   * Every documented credential header in every spelling the redaction claims to handle (any case,
   * {@code -} or {@code _} as separator), as a string-array attribute (the semantic conventions'
   * type) and as a plain string attribute (what hand-written instrumentation often sets).
   */
  static Stream<Arguments> credentialHeaderSpellings() {
    return CREDENTIAL_HEADERS.stream()
        .flatMap(
            name ->
                Stream.of(
                        name,
                        name.toLowerCase(Locale.ROOT),
                        name.toUpperCase(Locale.ROOT),
                        name.replace('-', '_'),
                        name.toLowerCase(Locale.ROOT).replace('-', '_'),
                        name.toUpperCase(Locale.ROOT).replace('-', '_'))
                    .distinct())
        .flatMap(
            spelling ->
                Stream.of(AttributeType.STRING_ARRAY, AttributeType.STRING)
                    .map(type -> Arguments.of(spelling, type)));
  }

  @ParameterizedTest(name = "{0} as {1}")
  @MethodSource("credentialHeaderSpellings")
  void everyCredentialHeaderSpellingAndAttributeTypeIsRedacted(String header, AttributeType type)
      throws Exception {
    String requestSecret = "req-secret-" + header;
    String responseSecret = "resp-secret-" + header;
    String requestKey = "http.request.header." + header;
    String responseKey = "http.response.header." + header;
    try (Threadline threadline =
        testBuilder().setProperty("otel.exporter.otlp.endpoint", collector.baseUrl()).install()) {
      var builder =
          threadline
              .openTelemetry()
              .getTracer("t")
              .spanBuilder("GET /")
              .setSpanKind(SpanKind.SERVER);
      if (type == AttributeType.STRING_ARRAY) {
        builder
            .setAttribute(AttributeKey.stringArrayKey(requestKey), List.of(requestSecret))
            .setAttribute(AttributeKey.stringArrayKey(responseKey), List.of(responseSecret))
            .setAttribute(
                AttributeKey.stringArrayKey("http.request.header.accept"), List.of("text/html"));
      } else {
        builder
            .setAttribute(AttributeKey.stringKey(requestKey), requestSecret)
            .setAttribute(AttributeKey.stringKey(responseKey), responseSecret)
            .setAttribute(AttributeKey.stringKey("http.request.header.accept"), "text/html");
      }
      builder.startSpan().end();
      assertThat(threadline.flush(Duration.ofSeconds(10))).isTrue();
    }

    assertThat(collector.spans()).hasSize(1);
    io.opentelemetry.proto.trace.v1.Span span = collector.spans().get(0);
    assertThat(collector.requests().get(0).body().toString())
        .doesNotContain(requestSecret, responseSecret);
    List<KeyValue> attributes = span.getAttributesList();
    if (type == AttributeType.STRING_ARRAY) {
      assertThat(arrayAttribute(attributes, requestKey)).containsExactly("REDACTED");
      assertThat(arrayAttribute(attributes, responseKey)).containsExactly("REDACTED");
      assertThat(arrayAttribute(attributes, "http.request.header.accept"))
          .containsExactly("text/html");
    } else {
      assertThat(value(attributes, requestKey).getValueCase())
          .isEqualTo(AnyValue.ValueCase.STRING_VALUE);
      assertThat(stringAttribute(attributes, requestKey)).isEqualTo("REDACTED");
      assertThat(value(attributes, responseKey).getValueCase())
          .isEqualTo(AnyValue.ValueCase.STRING_VALUE);
      assertThat(stringAttribute(attributes, responseKey)).isEqualTo("REDACTED");
      assertThat(stringAttribute(attributes, "http.request.header.accept")).isEqualTo("text/html");
    }
  }

  static ThreadlineBuilder testBuilder() {
    return Threadline.builder()
        .setServiceName("export-test")
        .setRegisterGlobal(false)
        .setShutdownHook(false)
        .setProperty("otel.bsp.schedule.delay", "50");
  }

  static io.opentelemetry.proto.trace.v1.Span byName(
      List<io.opentelemetry.proto.trace.v1.Span> spans, String name) {
    return spans.stream()
        .filter(s -> s.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no span named " + name + " in " + spans));
  }

  static String stringAttribute(List<KeyValue> attributes, String key) {
    return attributes.stream()
        .filter(kv -> kv.getKey().equals(key))
        .findFirst()
        .map(kv -> kv.getValue().getStringValue())
        .orElse(null);
  }

  static AnyValue value(List<KeyValue> attributes, String key) {
    return attributes.stream()
        .filter(kv -> kv.getKey().equals(key))
        .findFirst()
        .map(KeyValue::getValue)
        .orElseThrow(() -> new AssertionError("no attribute " + key + " in " + attributes));
  }

  static List<String> arrayAttribute(List<KeyValue> attributes, String key) {
    return attributes.stream()
        .filter(kv -> kv.getKey().equals(key))
        .findFirst()
        .map(
            kv ->
                kv.getValue().getArrayValue().getValuesList().stream()
                    .map(v -> v.getStringValue())
                    .toList())
        .orElse(List.of());
  }
}
