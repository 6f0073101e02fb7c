/**
 * The export end of the SDK's path (instrumentation → span → export): exporters that wrap the real
 * OTLP exporter to redact credential headers and URL secrets ({@link
 * dev.threadline.sdk.export.UrlRedaction}, also used by the bridge's node and CLI) and count what
 * was sent, and a metric reader for the batch processor's own queue telemetry.
 *
 * <p>Threading: exporters are called by the batch span processor's single export thread; the
 * counters, the telemetry reader and the immutable redaction rules may be used from any thread.
 */
package dev.threadline.sdk.export;
