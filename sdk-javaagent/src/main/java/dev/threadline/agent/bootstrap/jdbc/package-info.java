/**
 * The JDBC instrumentation's helpers on the bootstrap class path: CLIENT spans of statement
 * executions, SQL sanitizing and JDBC URL parsing (data path: instrumentation → span → export).
 * Called from application threads, with no lock: the remembered statements and connections are in
 * weak concurrent identity maps, and parsed statements in a bounded concurrent cache.
 */
package dev.threadline.agent.bootstrap.jdbc;
