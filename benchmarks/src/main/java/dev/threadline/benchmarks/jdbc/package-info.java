/**
 * Benchmarks of the agent's JDBC path (instrumentation → span → export): the helpers the JDBC
 * advice calls around each statement, and SQL sanitising beside OpenTelemetry's own analyzer. Each
 * JMH thread has its own connection and statement; the agent's state they reach is shared.
 */
package dev.threadline.benchmarks.jdbc;
