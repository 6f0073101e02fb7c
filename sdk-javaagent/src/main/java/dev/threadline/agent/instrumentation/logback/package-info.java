/**
 * Logback MDC (data path: instrumentation → the current span's ids → log lines): a logging event's
 * MDC map gets {@code trace_id}, {@code span_id}, {@code trace_flags} when it is first read, which
 * Logback does on the thread that logs (also for {@code AsyncAppender}, which prepares the event
 * there). Advice runs on logging threads; it keeps no state.
 */
package dev.threadline.agent.instrumentation.logback;
