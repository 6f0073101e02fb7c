/**
 * The JDBC instrumentation's helpers on the bootstrap class path: CLIENT spans of statement\n *
 * executions, SQL sanitizing and JDBC URL parsing (data path: instrumentation → span → export).\n *
 * Called from application threads; the remembered statements and connections are weak and\n *
 * synchronized.
 */
package dev.threadline.agent.bootstrap.jdbc;
