package dev.threadline.sdk.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RedMetricsTest {

  private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
  private static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
  private static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
  private static final AttributeKey<Long> STATUS =
      AttributeKey.longKey("http.response.status_code");
  private static final long START_NANOS = TimeUnit.SECONDS.toNanos(1_700_000_000L);

  private final List<SdkTracerProvider> providers = new ArrayList<>();
  private SimpleMeterRegistry registry;
  private Tracer tracer;

  @BeforeEach
  void setUp() {
    registry = new SimpleMeterRegistry();
    tracer = tracer("shop", RedMetrics.spanProcessor(registry));
  }

  @AfterEach
  void tearDown() {
    providers.forEach(SdkTracerProvider::close);
  }

  private Tracer tracer(String service, io.opentelemetry.sdk.trace.SpanProcessor processor) {
    SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .setResource(
                Resource.getDefault().merge(Resource.create(Attributes.of(SERVICE_NAME, service))))
            .addSpanProcessor(processor)
            .build();
    providers.add(provider);
    return provider.get("test");
  }

  /** Ends a span of the given kind and attributes after exactly {@code millis}. */
  private static void span(
      Tracer tracer, SpanKind kind, Attributes attributes, StatusCode status, long millis) {
    SpanBuilder builder =
        tracer
            .spanBuilder("op")
            .setSpanKind(kind)
            .setAllAttributes(attributes)
            .setStartTimestamp(START_NANOS, TimeUnit.NANOSECONDS);
    Span span = builder.startSpan();
    span.setStatus(status);
    span.end(START_NANOS + TimeUnit.MILLISECONDS.toNanos(millis), TimeUnit.NANOSECONDS);
  }

  private void server(String method, String route, Long status, long millis) {
    span(tracer, SpanKind.SERVER, http(method, route, status), StatusCode.UNSET, millis);
  }

  private static Attributes http(String method, String route, Long status) {
    var builder = Attributes.builder().put(METHOD, method);
    if (route != null) {
      builder.put(ROUTE, route);
    }
    if (status != null) {
      builder.put(STATUS, status);
    }
    return builder.build();
  }

  private static Tags tags(
      String service, String route, String method, String statusClass, boolean error) {
    return Tags.of(
        "service", service,
        "http.route", route,
        "http.request.method", method,
        "status.class", statusClass,
        "error", Boolean.toString(error));
  }

  private Timer serverTimer(Tags tags) {
    return registry.find(RedMetrics.SERVER_DURATION).tags(tags).timer();
  }

  private Timer clientTimer(Tags tags) {
    return registry.find(RedMetrics.CLIENT_DURATION).tags(tags).timer();
  }

  @Test
  void serverSpanRecordsDurationUnderAllTags() {
    server("GET", "/orders/{id}", 200L, 250);

    Timer timer = serverTimer(tags("shop", "/orders/{id}", "GET", "2xx", false));
    assertThat(timer).isNotNull();
    assertThat(timer.count()).isEqualTo(1);
    assertThat(timer.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(250.0);
    assertThat(timer.getId().getTags()).hasSize(5);
    assertThat(timer.getId().getDescription()).isNotBlank();
  }

  @Test
  void rateIsTheCountAndErrorsTheCountWithErrorTrue() {
    server("GET", "/orders", 200L, 10);
    server("GET", "/orders", 200L, 20);
    server("GET", "/orders", 503L, 30);

    double all =
        registry.find(RedMetrics.SERVER_DURATION).tag("http.route", "/orders").timers().stream()
            .mapToLong(Timer::count)
            .sum();
    double errors =
        registry
            .find(RedMetrics.SERVER_DURATION)
            .tag("http.route", "/orders")
            .tag("error", "true")
            .timers()
            .stream()
            .mapToLong(Timer::count)
            .sum();
    assertThat(all).isEqualTo(3);
    assertThat(errors).isEqualTo(1);
    assertThat(serverTimer(tags("shop", "/orders", "GET", "5xx", true)).count()).isEqualTo(1);
    assertThat(serverTimer(tags("shop", "/orders", "GET", "2xx", false)).count()).isEqualTo(2);
  }

  @Test
  void fourHundredsAreServerSuccessesButClientErrors() {
    server("GET", "/orders/{id}", 404L, 5);
    span(tracer, SpanKind.CLIENT, http("GET", "/orders/{id}", 404L), StatusCode.UNSET, 5);

    assertThat(serverTimer(tags("shop", "/orders/{id}", "GET", "4xx", false)).count()).isEqualTo(1);
    assertThat(clientTimer(tags("shop", "/orders/{id}", "GET", "4xx", true)).count()).isEqualTo(1);
  }

  @Test
  void errorSpanStatusIsAnErrorWhateverTheStatusCode() {
    span(tracer, SpanKind.SERVER, http("POST", "/pay", 200L), StatusCode.ERROR, 5);
    // A client that never got a response: connection refused, timeout.
    span(tracer, SpanKind.CLIENT, http("POST", "/pay", null), StatusCode.ERROR, 5);

    assertThat(serverTimer(tags("shop", "/pay", "POST", "2xx", true)).count()).isEqualTo(1);
    assertThat(clientTimer(tags("shop", "/pay", "POST", "NONE", true)).count()).isEqualTo(1);
  }

  @Test
  void everyStatusClass() {
    for (long code : new long[] {101, 204, 302, 429, 599}) {
      server("GET", "/s", code, 1);
    }
    server("GET", "/s", null, 1);
    server("GET", "/s", 42L, 1); // not an HTTP status

    assertThat(registry.find(RedMetrics.SERVER_DURATION).timers())
        .extracting(t -> t.getId().getTag("status.class"))
        .containsExactlyInAnyOrder("1xx", "2xx", "3xx", "4xx", "5xx", "NONE");
    assertThat(serverTimer(tags("shop", "/s", "GET", "NONE", false)).count()).isEqualTo(2);
  }

  @Test
  void oldSemanticConventionAttributesAreRead() {
    span(
        tracer,
        SpanKind.SERVER,
        Attributes.builder()
            .put("http.method", "DELETE")
            .put("http.route", "/carts/{id}")
            .put("http.status_code", 500L)
            .build(),
        StatusCode.UNSET,
        3);

    assertThat(serverTimer(tags("shop", "/carts/{id}", "DELETE", "5xx", true)).count())
        .isEqualTo(1);
  }

  @Test
  void unknownMethodsAreNormalisedToOther() {
    server("FOO", "/x", 200L, 1);
    server("get", "/x", 200L, 1); // methods are case-sensitive in the semantic conventions
    server("_OTHER", "/x", 200L, 1); // instrumentation that already normalised
    server("PATCH", "/x", 200L, 1);
    server("QUERY", "/x", 200L, 1);

    assertThat(serverTimer(tags("shop", "/x", "_OTHER", "2xx", false)).count()).isEqualTo(3);
    assertThat(serverTimer(tags("shop", "/x", "PATCH", "2xx", false)).count()).isEqualTo(1);
    assertThat(serverTimer(tags("shop", "/x", "QUERY", "2xx", false)).count()).isEqualTo(1);
  }

  @Test
  void serverSpanWithoutRouteIsUnknownNeverThePath() {
    span(
        tracer,
        SpanKind.SERVER,
        Attributes.builder()
            .put(METHOD, "GET")
            .put("url.path", "/orders/123")
            .put(STATUS, 200L)
            .build(),
        StatusCode.UNSET,
        1);

    assertThat(serverTimer(tags("shop", "UNKNOWN", "GET", "2xx", false)).count()).isEqualTo(1);
  }

  @Test
  void clientRouteFallsBackToUrlTemplateThenServerAddress() {
    Attributes base = Attributes.builder().put(METHOD, "GET").put(STATUS, 200L).build();
    span(
        tracer,
        SpanKind.CLIENT,
        base.toBuilder().put("url.template", "/users/{id}").put("server.address", "users").build(),
        StatusCode.UNSET,
        1);
    span(
        tracer,
        SpanKind.CLIENT,
        base.toBuilder().put("server.address", "inventory").build(),
        StatusCode.UNSET,
        1);
    span(tracer, SpanKind.CLIENT, base, StatusCode.UNSET, 1);

    assertThat(clientTimer(tags("shop", "/users/{id}", "GET", "2xx", false)).count()).isEqualTo(1);
    assertThat(clientTimer(tags("shop", "inventory", "GET", "2xx", false)).count()).isEqualTo(1);
    assertThat(clientTimer(tags("shop", "UNKNOWN", "GET", "2xx", false)).count()).isEqualTo(1);
  }

  @Test
  void otherKindsAndNonHttpSpansAreIgnored() {
    Attributes httpAttributes = http("GET", "/orders", 200L);
    span(tracer, SpanKind.INTERNAL, httpAttributes, StatusCode.UNSET, 1);
    span(tracer, SpanKind.PRODUCER, httpAttributes, StatusCode.UNSET, 1);
    span(tracer, SpanKind.CONSUMER, httpAttributes, StatusCode.UNSET, 1);
    span(
        tracer,
        SpanKind.CLIENT,
        Attributes.builder().put("db.system", "mariadb").put("server.address", "db").build(),
        StatusCode.UNSET,
        1);
    span(
        tracer,
        SpanKind.SERVER,
        Attributes.builder().put("rpc.system", "grpc").build(),
        StatusCode.ERROR,
        1);

    assertThat(registry.find(RedMetrics.SERVER_DURATION).timers()).isEmpty();
    assertThat(registry.find(RedMetrics.CLIENT_DURATION).timers()).isEmpty();
  }

  @Test
  void spansOfScopesNamedNonHttpArePassedOverAndOtherScopesStillRecord() {
    SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .addSpanProcessor(RedMetrics.spanProcessor(registry, 10, Set.of("dev.example.jdbc")))
            .build();
    providers.add(provider);
    Attributes httpAttributes = http("GET", "/orders", 200L);

    span(provider.get("dev.example.jdbc"), SpanKind.CLIENT, httpAttributes, StatusCode.UNSET, 1);
    span(provider.get("dev.example.jdbc"), SpanKind.SERVER, httpAttributes, StatusCode.UNSET, 1);
    assertThat(registry.find(RedMetrics.SERVER_DURATION).timers()).isEmpty();
    assertThat(registry.find(RedMetrics.CLIENT_DURATION).timers()).isEmpty();

    span(provider.get("dev.example.http"), SpanKind.CLIENT, httpAttributes, StatusCode.UNSET, 1);
    assertThat(registry.find(RedMetrics.CLIENT_DURATION).timer().count()).isEqualTo(1);
  }

  @Test
  void serviceTagComesFromEachSpansResource() {
    io.opentelemetry.sdk.trace.SpanProcessor shared = RedMetrics.spanProcessor(registry);
    Tracer orders = tracer("orders", shared);
    Tracer billing = tracer("billing", shared);

    span(orders, SpanKind.SERVER, http("GET", "/a", 200L), StatusCode.UNSET, 1);
    span(billing, SpanKind.SERVER, http("GET", "/a", 200L), StatusCode.UNSET, 1);
    span(orders, SpanKind.SERVER, http("GET", "/a", 200L), StatusCode.UNSET, 1);

    assertThat(serverTimer(tags("orders", "/a", "GET", "2xx", false)).count()).isEqualTo(2);
    assertThat(serverTimer(tags("billing", "/a", "GET", "2xx", false)).count()).isEqualTo(1);
  }

  @Test
  void resourceWithoutServiceNameIsUnknownService() {
    SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .setResource(Resource.empty())
            .addSpanProcessor(RedMetrics.spanProcessor(registry))
            .build();
    providers.add(provider);
    span(provider.get("test"), SpanKind.SERVER, http("GET", "/a", 200L), StatusCode.UNSET, 1);

    assertThat(serverTimer(tags("unknown_service", "/a", "GET", "2xx", false)).count())
        .isEqualTo(1);
  }

  @Test
  void percentileHistogramIsPublished() {
    // SimpleMeterRegistry drops percentile-histogram buckets (it declares no aggregable percentiles
    // support), so this one uses a registry that keeps them, as a Prometheus-backed one does.
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Tracer t = tracer("shop", RedMetrics.spanProcessor(prometheus));
    span(t, SpanKind.SERVER, http("GET", "/h", 200L), StatusCode.UNSET, 3);
    span(t, SpanKind.SERVER, http("GET", "/h", 200L), StatusCode.UNSET, 700);

    Timer timer =
        prometheus
            .get(RedMetrics.SERVER_DURATION)
            .tags(tags("shop", "/h", "GET", "2xx", false))
            .timer();
    CountAtBucket[] buckets = timer.takeSnapshot().histogramCounts();
    assertThat(buckets).hasSizeGreaterThan(10);
    assertThat(countAtOrBelow(buckets, 2)).isZero();
    assertThat(countAtOrBelow(buckets, 5)).isEqualTo(1);
    assertThat(countAtOrBelow(buckets, 1_000)).isEqualTo(2);
    assertThat(timer.max(TimeUnit.MILLISECONDS)).isEqualTo(700.0);
  }

  /** Cumulative count of the first bucket whose upper bound is at least {@code millis}. */
  private static double countAtOrBelow(CountAtBucket[] buckets, double millis) {
    for (CountAtBucket bucket : buckets) {
      if (bucket.bucket(TimeUnit.MILLISECONDS) >= millis) {
        return bucket.count();
      }
    }
    throw new AssertionError("no bucket reaches " + millis + " ms");
  }

  @Test
  void routesBeyondTheCapBecomeOtherAndAreCounted() {
    SimpleMeterRegistry capped = new SimpleMeterRegistry();
    Tracer t = tracer("shop", RedMetrics.spanProcessor(capped, 2));

    for (String route : new String[] {"/a", "/b", "/c", "/d", "/a", "/c"}) {
      span(t, SpanKind.SERVER, http("GET", route, 200L), StatusCode.UNSET, 1);
    }
    // The client cap is separate from the server one.
    span(t, SpanKind.CLIENT, http("GET", "/c", 200L), StatusCode.UNSET, 1);

    assertThat(capped.find(RedMetrics.SERVER_DURATION).timers())
        .extracting(timer -> timer.getId().getTag("http.route"))
        .containsExactlyInAnyOrder("/a", "/b", "OTHER");
    assertThat(capped.get(RedMetrics.SERVER_DURATION).tag("http.route", "/a").timer().count())
        .isEqualTo(2);
    assertThat(capped.get(RedMetrics.SERVER_DURATION).tag("http.route", "OTHER").timer().count())
        .isEqualTo(3);
    assertThat(overflow(capped, "server").count()).isEqualTo(3);
    assertThat(capped.get(RedMetrics.CLIENT_DURATION).tag("http.route", "/c").timer().count())
        .isEqualTo(1);
    assertThat(overflow(capped, "client").count()).isZero();
  }

  @Test
  void defaultCapIsAThousandRoutesPerKind() {
    for (int i = 0; i < RedMetrics.DEFAULT_MAX_ROUTES + 5; i++) {
      server("GET", "/r" + i, 200L, 1);
    }
    assertThat(registry.find(RedMetrics.SERVER_DURATION).timers())
        .hasSize(RedMetrics.DEFAULT_MAX_ROUTES + 1);
    assertThat(overflow(registry, "server").count()).isEqualTo(5);
  }

  private static Counter overflow(MeterRegistry registry, String kind) {
    return registry.get(RedMetrics.ROUTE_OVERFLOW).tag("kind", kind).counter();
  }

  @Test
  void overflowCountersExistBeforeAnyOverflow() {
    assertThat(overflow(registry, "server").count()).isZero();
    assertThat(overflow(registry, "client").count()).isZero();
  }

  @Test
  void metersAreCachedNotRebuiltPerSpan() {
    List<Meter.Id> registered = new ArrayList<>();
    registry.config().onMeterAdded(meter -> registered.add(meter.getId()));
    for (int i = 0; i < 50; i++) {
      server("GET", "/cached", 200L, 1);
    }

    assertThat(registered).hasSize(1);
    assertThat(serverTimer(tags("shop", "/cached", "GET", "2xx", false)).count()).isEqualTo(50);
  }

  @Test
  void aFailingRegistryNeverBreaksTheApplicationAndIsLoggedOnce() {
    SimpleMeterRegistry broken = new SimpleMeterRegistry();
    broken
        .config()
        .meterFilter(
            new MeterFilter() {
              @Override
              public Meter.Id map(Meter.Id id) {
                if (id.getName().equals(RedMetrics.SERVER_DURATION)) {
                  throw new IllegalStateException("boom");
                }
                return id;
              }
            });
    Tracer t = tracer("shop", RedMetrics.spanProcessor(broken));
    List<LogRecord> records = new ArrayList<>();
    Handler handler =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            records.add(record);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Logger logger = Logger.getLogger("dev.threadline");
    boolean useParentHandlers = logger.getUseParentHandlers();
    logger.setUseParentHandlers(false); // keep the expected warning out of the build output
    logger.addHandler(handler);
    try {
      assertThatCode(
              () -> {
                span(t, SpanKind.SERVER, http("GET", "/a", 200L), StatusCode.UNSET, 1);
                span(t, SpanKind.SERVER, http("GET", "/b", 200L), StatusCode.UNSET, 1);
              })
          .doesNotThrowAnyException();
    } finally {
      logger.removeHandler(handler);
      logger.setUseParentHandlers(useParentHandlers);
    }
    assertThat(records).hasSize(1);
    assertThat(records.get(0).getThrown()).hasMessage("boom");
  }

  @Test
  void argumentsAreValidated() {
    assertThatThrownBy(() -> RedMetrics.spanProcessor(null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> RedMetrics.spanProcessor(registry, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void processorNeedsOnlyOnEnd() {
    io.opentelemetry.sdk.trace.SpanProcessor processor = RedMetrics.spanProcessor(registry);
    assertThat(processor.isStartRequired()).isFalse();
    assertThat(processor.isEndRequired()).isTrue();
  }
}
