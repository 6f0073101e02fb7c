/**
 * Test endpoints at the far end of the path instrumentation → span → export: a real OTLP/HTTP
 * receiver on loopback that decodes what the exporter sent; and the seeded mutation {@link
 * dev.threadline.sdk.testing.Fuzzer} the modules' fuzz tests drive their parsers with.
 *
 * <p>Threading: requests are handled on the receiver's own daemon threads; what was received may be
 * read from any thread. A fuzz run calls its target on one worker thread while the test's thread
 * times each input.
 */
package dev.threadline.sdk.testing;
