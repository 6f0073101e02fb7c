/**
 * Step 4: HTTP/1.x parsing of each socket direction, syscall by syscall (ring buffer → decoder →
 * parser → S span). A {@link dev.threadline.bridge.http.HttpStreamParser} belongs to one direction
 * of one socket and is fed from one thread; its buffers are bounded by the head and line limits
 * plus one capture. {@code HttpHeadParser} is stateless.
 */
package dev.threadline.bridge.http;
