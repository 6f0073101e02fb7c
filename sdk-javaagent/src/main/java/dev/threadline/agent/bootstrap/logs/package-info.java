/**
 * The trace ids the logging instrumentations (Logback, Log4j2) add to a log event's MDC / context
 * data (data path: instrumentation → the current span's ids → the application's log lines). Called
 * on the thread that logs, with no state of its own.
 */
package dev.threadline.agent.bootstrap.logs;
