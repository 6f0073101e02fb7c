/**
 * The demo's load generator and trace report: shopping rounds through the gateway (closed loop,
 * bounded in count and time), then one trace read back from the node's query API and printed as a
 * tree. Runs on its own threads.
 */
package dev.threadline.samples.webshop.load;
