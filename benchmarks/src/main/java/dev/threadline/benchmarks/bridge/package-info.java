/**
 * JMH benchmarks of the bridge: the kernel data path's user-space half (ring buffer → decoder →
 * parser → S span) and the node's OTLP/JSON decoding. Each benchmark state is used by one JMH
 * thread.
 */
package dev.threadline.benchmarks.bridge;
