/**
 * order-svc: fans its item and stock checks out on a thread pool and writes the order with JDBC
 * from a pool thread, on purpose: where traces usually break. Knows nothing of tracing; the agent
 * carries the context.
 */
package dev.threadline.samples.webshop.order;
