/**
 * RED metrics (rate, errors, duration) per HTTP endpoint, derived from OpenTelemetry SERVER and
 * CLIENT spans and recorded into a Micrometer {@link io.micrometer.core.instrument.MeterRegistry}.
 *
 * <p>Place in the data path: instrumentation → span → {@link
 * dev.threadline.sdk.metrics.RedMetrics#spanProcessor(io.micrometer.core.instrument.MeterRegistry)}
 * (on span end, beside the export) → registry → scrape. Register the returned processor on an
 * {@code SdkTracerProvider}. The registry can be the application's own (for example Spring Boot
 * actuator's), or a {@code PrometheusMeterRegistry} exposed on a loopback port by {@link
 * dev.threadline.sdk.metrics.PrometheusEndpoint}, whose {@link
 * dev.threadline.sdk.metrics.PrometheusEndpoint#handler handler} the bridge node mounts too.
 *
 * <p>Threading: the processor runs on whichever application thread ends a span and is thread-safe;
 * scrapes run on the endpoint's single daemon thread.
 */
package dev.threadline.sdk.metrics;
