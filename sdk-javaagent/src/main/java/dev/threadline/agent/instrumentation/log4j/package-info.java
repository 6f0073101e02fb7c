/**
 * Log4j2 context data (data path: instrumentation → the current span's ids → log lines): the map a
 * {@code ContextDataInjector} returns for a new log event gets {@code trace_id}, {@code span_id},
 * {@code trace_flags}; injectors run on the thread that logs (also for async loggers). Advice keeps
 * no state.
 */
package dev.threadline.agent.instrumentation.log4j;
