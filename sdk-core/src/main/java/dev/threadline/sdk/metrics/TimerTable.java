package dev.threadline.sdk.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The RED timers of one service and one span kind, found on the hot path without allocating: the
 * route (a string the span already holds) selects a row, and the method, the status class and the
 * error flag, each from a fixed set, select a timer in it. A timer is registered on first use and
 * stays valid until the registry is closed or the meter removed, as with any Micrometer binder.
 */
final class TimerTable {
  private static final int STATUS_CLASSES = HttpSpanAttributes.STATUS_CLASSES.length;
  private static final int ROW_LENGTH = HttpSpanAttributes.METHODS.length * STATUS_CLASSES * 2;

  private final MeterRegistry registry;
  private final SpanKindMeter kind;
  private final String service;
  // Bounded: a row per route its RouteLimiter admitted, and one for the overflow route.
  private final ConcurrentMap<String, AtomicReferenceArray<Timer>> rows = new ConcurrentHashMap<>();

  TimerTable(MeterRegistry registry, SpanKindMeter kind, String service) {
    this.registry = registry;
    this.kind = kind;
    this.service = service;
  }

  /**
   * The timer for these tag values; {@code method} and {@code statusClass} are indexes in {@link
   * HttpSpanAttributes#METHODS} and {@link HttpSpanAttributes#STATUS_CLASSES}.
   */
  Timer timer(String route, int method, int statusClass, boolean error) {
    AtomicReferenceArray<Timer> row = rows.get(route);
    if (row == null) {
      row = rows.computeIfAbsent(route, unused -> new AtomicReferenceArray<>(ROW_LENGTH));
    }
    int index = (method * STATUS_CLASSES + statusClass) * 2 + (error ? 1 : 0);
    Timer timer = row.get(index);
    if (timer == null) {
      // Micrometer returns the registered meter for an id it already has, so threads racing here
      // store the same timer.
      timer = register(route, method, statusClass, error);
      row.set(index, timer);
    }
    return timer;
  }

  private Timer register(String route, int method, int statusClass, boolean error) {
    return Timer.builder(kind.meterName)
        .description(kind.description)
        .tags(
            Tags.of(
                RedMetrics.TAG_SERVICE,
                service,
                RedMetrics.TAG_ROUTE,
                route,
                RedMetrics.TAG_METHOD,
                HttpSpanAttributes.METHODS[method],
                RedMetrics.TAG_STATUS_CLASS,
                HttpSpanAttributes.STATUS_CLASSES[statusClass],
                RedMetrics.TAG_ERROR,
                Boolean.toString(error)))
        .publishPercentileHistogram()
        .register(registry);
  }
}
