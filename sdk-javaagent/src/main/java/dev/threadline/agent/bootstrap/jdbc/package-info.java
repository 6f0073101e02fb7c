/**
 * The JDBC instrumentation's helpers on the bootstrap class path: CLIENT spans of statement
 *
 * <p>executions, SQL sanitizing and JDBC URL parsing (data path: instrumentation → span → export).
 *
 * <p>Called from application threads; the remembered statements and connections are weak and
 *
 * <p>synchronized.
 */
package dev.threadline.agent.bootstrap.jdbc;
