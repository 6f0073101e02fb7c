/**
 * Test endpoints at the far end of the path instrumentation → span → export: a real OTLP/HTTP
 * receiver on loopback that decodes what the exporter sent.
 *
 * <p>Threading: requests are handled on the receiver's own daemon threads; what was received may be
 * read from any thread.
 */
package dev.threadline.sdk.testing;
