/**
 * Benchmarks of RED metrics recording: Threadline's span processor feeding Micrometer's Prometheus
 * registry beside the HTTP server metrics of OpenTelemetry's instrumentation API on the SDK's meter
 * provider, which is how the OpenTelemetry agent records them.
 */
package dev.threadline.benchmarks.metrics;
