/**
 * The export end of the SDK's path (instrumentation → span → export): exporters that wrap the real
 * OTLP exporter to redact credential headers and count what was sent, and a metric reader for the
 * batch processor's own queue telemetry.
 *
 * <p>Threading: exporters are called by the batch span processor's single export thread; the
 * counters and the telemetry reader may be read from any thread.
 */
package dev.threadline.sdk.export;
