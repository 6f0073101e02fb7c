/** The node's own metrics (Micrometer, scraped in Prometheus format at {@code /metrics}). */
package dev.threadline.bridge.node.metrics;
