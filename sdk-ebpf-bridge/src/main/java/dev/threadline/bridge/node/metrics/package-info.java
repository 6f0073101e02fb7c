/**
 * The node's own metrics: counters and gauges of what the OTLP receiver, the store and the
 * forwarder do, in a Micrometer Prometheus registry that sdk-core's {@code
 * PrometheusEndpoint.handler} serves at {@code /metrics} on the node's port (export side of the
 * node: receiver → store → query/forward, observed here).
 *
 * <p>Thread-safe: the receiver's request threads and the forwarder's thread count concurrently;
 * gauges are read on the scraping request's thread.
 */
package dev.threadline.bridge.node.metrics;
