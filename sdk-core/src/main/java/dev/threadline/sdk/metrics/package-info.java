/**
 * RED metrics (rate, errors, duration) per HTTP endpoint, derived from OpenTelemetry SERVER and
 * CLIENT spans and recorded into a Micrometer {@link io.micrometer.core.instrument.MeterRegistry}.
 *
 * <p>{@link
 * dev.threadline.sdk.metrics.RedMetrics#spanProcessor(io.micrometer.core.instrument.MeterRegistry)}
 * is the entry point: register the returned processor on an {@code SdkTracerProvider}. The registry
 * can be the application's own (for example Spring Boot actuator's), or a {@code
 * PrometheusMeterRegistry} exposed on a loopback port by {@link
 * dev.threadline.sdk.metrics.PrometheusEndpoint}.
 */
package dev.threadline.sdk.metrics;
