/**
 * JDBC: its module and advice (data path: instrumentation → CLIENT span → export), with helpers in
 * {@code dev.threadline.agent.bootstrap.jdbc}. Advice is inlined into drivers' and pools' classes
 * and runs on the calling thread; only the outermost call on a thread makes a span.
 */
package dev.threadline.agent.instrumentation.jdbc;
