/**
 * W3C Trace Context (level 2) propagation (data path: the incoming request's headers → the parent
 * of the SERVER span; the current span → the outgoing request's headers). {@link
 * dev.threadline.sdk.propagation.W3CTraceContext} replaces OpenTelemetry's {@code tracecontext}
 * propagator with one that reads every value of a repeated header and validates {@code tracestate}
 * as the specification says. Stateless and immutable: safe on any thread.
 */
package dev.threadline.sdk.propagation;
