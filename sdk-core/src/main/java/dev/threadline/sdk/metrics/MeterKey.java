package dev.threadline.sdk.metrics;

/**
 * The identity of one RED timer: everything that varies between its tags. Used as the cache key so
 * that the hot path allocates this small record instead of building and registering a Micrometer
 * {@code Timer} per span.
 */
record MeterKey(
    SpanKindMeter kind,
    String service,
    String route,
    String method,
    String statusClass,
    boolean error) {}
