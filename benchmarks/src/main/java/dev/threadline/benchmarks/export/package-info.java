/**
 * Benchmarks of the export path's own layers, in front of the OTLP exporter: what Threadline does
 * to each ended span on the export thread before it is marshaled.
 */
package dev.threadline.benchmarks.export;
