package dev.threadline.sdk.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.semconv.ServiceAttributes;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Records every ended HTTP SERVER/CLIENT span in a cached Micrometer timer. See {@link RedMetrics}
 * for the meters.
 *
 * <p>{@code onEnd} runs on the application thread that ends the span, so it is kept cheap: two
 * attribute reads reject non-HTTP spans before anything else, and meters are looked up in a map
 * keyed by {@link MeterKey} rather than built with {@code Timer.builder} (which allocates and takes
 * the registry's lock) on every span.
 */
final class RedMetricsSpanProcessor implements SpanProcessor {

  private static final Logger logger = Logger.getLogger("dev.threadline");
  private static final String UNKNOWN_SERVICE = "unknown_service";

  private final MeterRegistry registry;
  private final RouteLimiter serverRoutes;
  private final RouteLimiter clientRoutes;
  private final Counter serverOverflow;
  private final Counter clientOverflow;
  // Bounded in practice: routes are capped, and methods, status classes and error flags are fixed
  // sets. Cached timers stay valid until the registry is closed or the meter removed, as with any
  // Micrometer binder.
  private final ConcurrentMap<MeterKey, Timer> timers = new ConcurrentHashMap<>();
  private final AtomicBoolean failureLogged = new AtomicBoolean();
  // A tracer provider has a single Resource, so remembering the last one turns the service lookup
  // into an identity check on the hot path.
  private volatile ServiceOfResource lastService = new ServiceOfResource(null, UNKNOWN_SERVICE);

  RedMetricsSpanProcessor(MeterRegistry registry, int maxRoutesPerKind) {
    this.registry = registry;
    this.serverRoutes = new RouteLimiter(maxRoutesPerKind);
    this.clientRoutes = new RouteLimiter(maxRoutesPerKind);
    // Registered up front so that a zero is scraped (and can be alerted on) before the first
    // overflow.
    this.serverOverflow = overflowCounter(registry, SpanKindMeter.SERVER);
    this.clientOverflow = overflowCounter(registry, SpanKindMeter.CLIENT);
  }

  private static Counter overflowCounter(MeterRegistry registry, SpanKindMeter kind) {
    return Counter.builder(RedMetrics.ROUTE_OVERFLOW)
        .description(
            "Spans recorded with http.route=OTHER because the distinct-route cap was reached")
        .tag(RedMetrics.TAG_KIND, kind.tagValue)
        .register(registry);
  }

  @Override
  public void onStart(Context parentContext, ReadWriteSpan span) {}

  @Override
  public boolean isStartRequired() {
    return false;
  }

  @Override
  public void onEnd(ReadableSpan span) {
    try {
      record(span);
    } catch (RuntimeException | LinkageError e) {
      // Never break the application thread ending the span. LinkageError too: bound to an
      // application's own registry, a Micrometer version mismatch surfaces here as
      // NoSuchMethodError and the like.
      logFailureOnce(e);
    }
  }

  @Override
  public boolean isEndRequired() {
    return true;
  }

  private void record(ReadableSpan span) {
    SpanKindMeter kind = kindOf(span.getKind());
    if (kind == null) {
      return;
    }
    String rawMethod = HttpSpanAttributes.rawMethod(span);
    if (rawMethod == null) {
      return; // not HTTP: e.g. a JDBC CLIENT span or a gRPC SERVER span
    }
    String route;
    if (kind == SpanKindMeter.SERVER) {
      route = admit(serverRoutes, serverOverflow, HttpSpanAttributes.serverRoute(span));
    } else {
      route = admit(clientRoutes, clientOverflow, HttpSpanAttributes.clientRoute(span));
    }
    Long statusCode = HttpSpanAttributes.statusCode(span);
    // ReadableSpan exposes neither the status nor the resource; on an ended span toSpanData() is
    // one wrapper allocation around the already-frozen state, the same call every exporting
    // processor makes.
    SpanData data = span.toSpanData();
    boolean error =
        data.getStatus().getStatusCode() == StatusCode.ERROR
            || (statusCode != null && statusCode >= kind.errorStatusFrom);
    MeterKey key =
        new MeterKey(
            kind,
            serviceOf(data.getResource()),
            route,
            HttpSpanAttributes.normaliseMethod(rawMethod),
            HttpSpanAttributes.statusClass(statusCode),
            error);
    timer(key).record(span.getLatencyNanos(), TimeUnit.NANOSECONDS);
  }

  private static SpanKindMeter kindOf(SpanKind kind) {
    switch (kind) {
      case SERVER:
        return SpanKindMeter.SERVER;
      case CLIENT:
        return SpanKindMeter.CLIENT;
      default:
        return null; // INTERNAL, PRODUCER, CONSUMER: not request/response endpoints
    }
  }

  private static String admit(RouteLimiter limiter, Counter overflow, String route) {
    if (limiter.tryAdmit(route)) {
      return route;
    }
    overflow.increment();
    return RouteLimiter.OVERFLOW_ROUTE;
  }

  private String serviceOf(Resource resource) {
    ServiceOfResource last = lastService;
    if (last.resource() == resource) {
      return last.service();
    }
    String service =
        resource == null ? null : resource.getAttribute(ServiceAttributes.SERVICE_NAME);
    if (service == null || service.isEmpty()) {
      service = UNKNOWN_SERVICE;
    }
    lastService = new ServiceOfResource(resource, service);
    return service;
  }

  private Timer timer(MeterKey key) {
    // get() first: computeIfAbsent may lock the bin even when the key is present.
    Timer timer = timers.get(key);
    return timer != null ? timer : timers.computeIfAbsent(key, this::register);
  }

  private Timer register(MeterKey key) {
    return Timer.builder(key.kind().meterName)
        .description(key.kind().description)
        .tags(
            Tags.of(
                RedMetrics.TAG_SERVICE, key.service(),
                RedMetrics.TAG_ROUTE, key.route(),
                RedMetrics.TAG_METHOD, key.method(),
                RedMetrics.TAG_STATUS_CLASS, key.statusClass(),
                RedMetrics.TAG_ERROR, Boolean.toString(key.error())))
        .publishPercentileHistogram()
        .register(registry);
  }

  private void logFailureOnce(Throwable e) {
    // Once per processor: a failure here repeats on every span and would flood the application's
    // log.
    if (failureLogged.compareAndSet(false, true)) {
      logger.log(
          Level.WARNING,
          "Threadline RED metrics: failed to record a span; further failures not logged",
          e);
    }
  }

  @Override
  public String toString() {
    return "RedMetricsSpanProcessor{registry=" + registry.getClass().getSimpleName() + "}";
  }

  private record ServiceOfResource(Resource resource, String service) {}
}
