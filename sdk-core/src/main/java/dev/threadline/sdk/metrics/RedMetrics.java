package dev.threadline.sdk.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.semconv.HttpAttributes;
import java.util.Objects;
import java.util.Set;

/**
 * RED metrics (rate, errors, duration) per HTTP endpoint, recorded from ended OpenTelemetry spans.
 *
 * <p>Register the processor on the tracer provider, with the registry metrics should go to:
 *
 * <pre>{@code
 * SdkTracerProvider.builder()
 *     .addSpanProcessor(RedMetrics.spanProcessor(meterRegistry))
 *     ...
 * }</pre>
 *
 * <p>The registry may be the application's own (in Spring Boot, inject the actuator's {@code
 * MeterRegistry}), or a {@code PrometheusMeterRegistry} served by {@link PrometheusEndpoint}.
 *
 * <p>Every SERVER span and every CLIENT span that has an HTTP method attribute is recorded in one
 * {@code Timer}: {@value #SERVER_DURATION} or {@value #CLIENT_DURATION}, with a percentile
 * histogram published (Prometheus {@code _bucket} series) and the tags:
 *
 * <ul>
 *   <li>{@value #TAG_SERVICE}: the span resource's {@code service.name};
 *   <li>{@code http.route} ({@link #TAG_ROUTE}): the {@code http.route} attribute; for client spans
 *       without one, {@code url.template}, else {@code server.address}, else {@code "UNKNOWN"}. At
 *       most {@code maxRoutes} distinct values per kind; later ones become {@code "OTHER"} and
 *       increment {@value #ROUTE_OVERFLOW};
 *   <li>{@code http.request.method} ({@link #TAG_METHOD}): {@code http.request.method} (or the old
 *       {@code http.method}), with methods the HTTP semantic conventions do not know normalised to
 *       {@code "_OTHER"};
 *   <li>{@value #TAG_STATUS_CLASS}: {@code "1xx"} to {@code "5xx"} from {@code
 *       http.response.status_code} (or the old {@code http.status_code}), {@code "NONE"} when there
 *       is no response;
 *   <li>{@value #TAG_ERROR}: {@code "true"} when the span status is ERROR, or the status code is at
 *       least 500 for a server span or at least 400 for a client span.
 * </ul>
 *
 * <p>Rate is the timer's count, errors its count where {@code error="true"}, duration its
 * histogram. Histogram bounds and the like can be tuned the usual Micrometer way, with a {@code
 * MeterFilter} on the registry.
 */
public final class RedMetrics {

  /** Timer recording SERVER spans. Prometheus: {@code threadline_http_server_duration_seconds}. */
  public static final String SERVER_DURATION = "threadline.http.server.duration";

  /**
   * Timer recording HTTP CLIENT spans. Prometheus: {@code threadline_http_client_duration_seconds}.
   */
  public static final String CLIENT_DURATION = "threadline.http.client.duration";

  /**
   * Counter of spans whose route was recorded as {@code "OTHER"} because the distinct-route cap was
   * reached; tagged {@value #TAG_KIND} ({@code server} or {@code client}). Prometheus: {@code
   * threadline_http_route_overflow_total}.
   */
  public static final String ROUTE_OVERFLOW = "threadline.http.route.overflow";

  public static final String TAG_SERVICE = "service";
  public static final String TAG_ROUTE = HttpAttributes.HTTP_ROUTE.getKey();
  public static final String TAG_METHOD = HttpAttributes.HTTP_REQUEST_METHOD.getKey();
  public static final String TAG_STATUS_CLASS = "status.class";
  public static final String TAG_ERROR = "error";
  public static final String TAG_KIND = "kind";

  /**
   * Default cap on distinct {@code http.route} values, applied separately to server and client
   * spans.
   */
  public static final int DEFAULT_MAX_ROUTES = 1000;

  private RedMetrics() {}

  /**
   * A span processor recording RED metrics into {@code registry}, with at most {@value
   * #DEFAULT_MAX_ROUTES} distinct routes per span kind.
   */
  public static SpanProcessor spanProcessor(MeterRegistry registry) {
    return spanProcessor(registry, DEFAULT_MAX_ROUTES);
  }

  /**
   * A span processor recording RED metrics into {@code registry}, with at most {@code
   * maxRoutesPerKind} distinct routes for server spans and as many for client spans.
   *
   * @throws IllegalArgumentException if {@code maxRoutesPerKind} is less than 1
   */
  public static SpanProcessor spanProcessor(MeterRegistry registry, int maxRoutesPerKind) {
    return spanProcessor(registry, maxRoutesPerKind, Set.of());
  }

  /**
   * As {@link #spanProcessor(MeterRegistry, int)}, but spans of the instrumentation scopes named in
   * {@code nonHttpScopes} are passed over unread. For instrumentation whose spans are never HTTP
   * spans (a JDBC instrumentation's CLIENT spans): without it, each of them costs two attribute
   * look-ups under the span's lock to find that it has no request method.
   *
   * @throws IllegalArgumentException if {@code maxRoutesPerKind} is less than 1
   */
  public static SpanProcessor spanProcessor(
      MeterRegistry registry, int maxRoutesPerKind, Set<String> nonHttpScopes) {
    Objects.requireNonNull(registry, "registry");
    if (maxRoutesPerKind < 1) {
      throw new IllegalArgumentException(
          "maxRoutesPerKind must be at least 1, was " + maxRoutesPerKind);
    }
    return new RedMetricsSpanProcessor(
        registry, maxRoutesPerKind, Set.copyOf(Objects.requireNonNull(nonHttpScopes)));
  }
}
