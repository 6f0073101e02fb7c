package dev.threadline.benchmarks.metrics;

import dev.threadline.sdk.metrics.RedMetrics;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.instrumentation.api.instrumenter.OperationListener;
import io.opentelemetry.instrumentation.api.semconv.http.HttpServerMetrics;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.semconv.HttpAttributes;
import io.opentelemetry.semconv.NetworkAttributes;
import io.opentelemetry.semconv.ServiceAttributes;
import io.opentelemetry.semconv.UrlAttributes;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Recording one served request's RED metrics (duration, with count and errors by route, method and
 * status class):
 *
 * <ul>
 *   <li>{@code threadline}: the {@link RedMetrics#spanProcessor RED span processor}'s {@code onEnd}
 *       for an ended SERVER span, into a {@link PrometheusMeterRegistry} (what the agent and
 *       library mode register);
 *   <li>{@code otelAgent}: {@link HttpServerMetrics}'s {@code onStart} + {@code onEnd} on an SDK
 *       meter provider, the OpenTelemetry agent's {@code http.server.request.duration};
 *   <li>{@code threadlineJdbcSpan} and {@code threadlineJdbcSpanNonHttpScope}: the processor's
 *       {@code onEnd} for a JDBC CLIENT span, which it must pass over, by reading that it has no
 *       request method, or by its scope, as the agent's processor does.
 * </ul>
 *
 * <p>The trial fails unless each side recorded exactly the operations it was called for, under the
 * expected route, method and status, and no JDBC span as an HTTP one.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class RedRecordingBenchmark {
  private static final String ROUTE = "/items/{id}";

  private PrometheusMeterRegistry registry;
  private SpanProcessor red;
  private ReadableSpan serverSpan;
  private long threadlineCalls;

  // A JDBC CLIENT span, as the agent makes: RED metrics must record nothing for it.
  private static final String JDBC_SCOPE = "dev.threadline.jdbc";
  private SpanProcessor redToldNonHttp;
  private ReadableSpan jdbcSpan;
  private long jdbcCalls;

  private SdkMeterProvider meterProvider;
  private InMemoryMetricReader reader;
  private OperationListener otelListener;
  private Attributes startAttributes;
  private Attributes endAttributes;
  private long otelCalls;

  @Setup(Level.Trial)
  public void setUp() {
    Resource resource =
        Resource.getDefault()
            .merge(Resource.create(Attributes.of(ServiceAttributes.SERVICE_NAME, "shop")));
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    red = RedMetrics.spanProcessor(registry);
    redToldNonHttp =
        RedMetrics.spanProcessor(registry, RedMetrics.DEFAULT_MAX_ROUTES, Set.of(JDBC_SCOPE));
    // A tracer provider without span processors makes non-recording spans; this one only records.
    SdkTracerProvider tracerProvider =
        SdkTracerProvider.builder()
            .setResource(resource)
            .addSpanProcessor(SimpleSpanProcessor.create(InMemorySpanExporter.create()))
            .build();
    Span span =
        tracerProvider
            .get("bench")
            .spanBuilder("GET " + ROUTE)
            .setSpanKind(SpanKind.SERVER)
            .setAttribute(HttpAttributes.HTTP_REQUEST_METHOD, "GET")
            .setAttribute(UrlAttributes.URL_SCHEME, "http")
            .setAttribute(UrlAttributes.URL_PATH, "/items/7")
            .setAttribute(HttpAttributes.HTTP_ROUTE, ROUTE)
            .setAttribute(NetworkAttributes.NETWORK_PROTOCOL_VERSION, "1.1")
            .startSpan();
    span.setAttribute(HttpAttributes.HTTP_RESPONSE_STATUS_CODE, 200L);
    span.end();
    serverSpan = (ReadableSpan) span;
    Span jdbc =
        tracerProvider
            .get(JDBC_SCOPE)
            .spanBuilder("SELECT items")
            .setSpanKind(SpanKind.CLIENT)
            .setAttribute("db.system", "h2")
            .setAttribute("db.query.text", "SELECT id, name FROM items WHERE id = ?")
            .setAttribute("db.operation.name", "SELECT")
            .setAttribute("db.collection.name", "items")
            .setAttribute("db.namespace", "shop")
            .startSpan();
    jdbc.end();
    jdbcSpan = (ReadableSpan) jdbc;

    reader = InMemoryMetricReader.create();
    meterProvider =
        SdkMeterProvider.builder().setResource(resource).registerMetricReader(reader).build();
    otelListener = HttpServerMetrics.get().create(meterProvider.get("bench"));
    startAttributes =
        Attributes.builder()
            .put(HttpAttributes.HTTP_REQUEST_METHOD, "GET")
            .put(UrlAttributes.URL_SCHEME, "http")
            .put(UrlAttributes.URL_PATH, "/items/7")
            .put(HttpAttributes.HTTP_ROUTE, ROUTE)
            .build();
    endAttributes =
        Attributes.builder()
            .put(HttpAttributes.HTTP_RESPONSE_STATUS_CODE, 200L)
            .put(NetworkAttributes.NETWORK_PROTOCOL_VERSION, "1.1")
            .build();
  }

  @Benchmark
  public void threadline() {
    red.onEnd(serverSpan);
    threadlineCalls++;
  }

  /** A JDBC span through a processor not told its scope: two attribute look-ups find no method. */
  @Benchmark
  public void threadlineJdbcSpan() {
    red.onEnd(jdbcSpan);
    jdbcCalls++;
  }

  /**
   * The same span through a processor told that the JDBC scope is never HTTP, as the agent's is.
   */
  @Benchmark
  public void threadlineJdbcSpanNonHttpScope() {
    redToldNonHttp.onEnd(jdbcSpan);
    jdbcCalls++;
  }

  @Benchmark
  public void otelAgent() {
    long start = System.nanoTime();
    Context context = otelListener.onStart(Context.root(), startAttributes, start);
    otelListener.onEnd(context, endAttributes, start + 1_000_000);
    otelCalls++;
  }

  @TearDown(Level.Trial)
  public void check() {
    Timer timer =
        registry
            .find(RedMetrics.SERVER_DURATION)
            .tags(RedMetrics.TAG_ROUTE, ROUTE, RedMetrics.TAG_METHOD, "GET")
            .tag(RedMetrics.TAG_STATUS_CLASS, "2xx")
            .timer();
    long recorded = timer == null ? 0 : timer.count();
    long otelRecorded =
        reader.collectAllMetrics().stream()
            .filter(metric -> metric.getName().equals("http.server.request.duration"))
            .map(MetricData::getHistogramData)
            .flatMap(data -> data.getPoints().stream())
            .filter(point -> ROUTE.equals(point.getAttributes().get(HttpAttributes.HTTP_ROUTE)))
            .mapToLong(HistogramPointData::getCount)
            .sum();
    boolean clientRecorded = !registry.find(RedMetrics.CLIENT_DURATION).timers().isEmpty();
    meterProvider.close();
    registry.close();
    if (clientRecorded) {
      throw new IllegalStateException(
          "RED metrics recorded a JDBC span (" + jdbcCalls + " calls) as an HTTP CLIENT span");
    }
    if (recorded != threadlineCalls || otelRecorded != otelCalls) {
      throw new IllegalStateException(
          "recorded "
              + recorded
              + " of "
              + threadlineCalls
              + " Threadline calls and "
              + otelRecorded
              + " of "
              + otelCalls
              + " OpenTelemetry calls");
    }
  }
}
