package dev.threadline.sdk.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.semconv.ServiceAttributes;
import java.util.Set;
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
 * attribute reads reject non-HTTP spans before anything else (none at all for the scopes it was
 * told are never HTTP), and timers are found in a {@link TimerTable} (no allocation) rather than
 * built with {@code Timer.builder} (which allocates and takes the registry's lock) on every span.
 */
final class RedMetricsSpanProcessor implements SpanProcessor {

  private static final Logger logger = Logger.getLogger("dev.threadline");
  private static final String UNKNOWN_SERVICE = "unknown_service";

  private final MeterRegistry registry;
  private final RouteLimiter serverRoutes;
  private final RouteLimiter clientRoutes;
  private final Counter serverOverflow;
  private final Counter clientOverflow;
  private final Set<String> nonHttpScopes;
  // One entry per service name: a tracer provider has one resource.
  private final ConcurrentMap<String, ServiceTimers> services = new ConcurrentHashMap<>();
  private final AtomicBoolean failureLogged = new AtomicBoolean();
  // A tracer provider has a single Resource, so remembering the last one turns the service lookup
  // into an identity check on the hot path.
  private volatile ServiceOfResource lastService;

  RedMetricsSpanProcessor(MeterRegistry registry, int maxRoutesPerKind, Set<String> nonHttpScopes) {
    this.registry = registry;
    this.nonHttpScopes = nonHttpScopes;
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
    if (kind == null || nonHttpScopes.contains(span.getInstrumentationScopeInfo().getName())) {
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
    ServiceTimers timers = timersOf(data.getResource());
    (kind == SpanKindMeter.SERVER ? timers.server : timers.client)
        .timer(
            route,
            HttpSpanAttributes.methodIndex(rawMethod),
            HttpSpanAttributes.statusClassIndex(statusCode),
            error)
        .record(span.getLatencyNanos(), TimeUnit.NANOSECONDS);
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

  private ServiceTimers timersOf(Resource resource) {
    ServiceOfResource last = lastService;
    if (last != null && last.resource() == resource) {
      return last.timers();
    }
    String service =
        resource == null ? null : resource.getAttribute(ServiceAttributes.SERVICE_NAME);
    if (service == null || service.isEmpty()) {
      service = UNKNOWN_SERVICE;
    }
    ServiceTimers timers = services.computeIfAbsent(service, ServiceTimers::new);
    lastService = new ServiceOfResource(resource, timers);
    return timers;
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

  private record ServiceOfResource(Resource resource, ServiceTimers timers) {}

  /** The timers of one service, by span kind. */
  private final class ServiceTimers {
    final TimerTable server;
    final TimerTable client;

    ServiceTimers(String service) {
      server = new TimerTable(registry, SpanKindMeter.SERVER, service);
      client = new TimerTable(registry, SpanKindMeter.CLIENT, service);
    }
  }
}
