/** The JSON query API over the trace store. */
package dev.threadline.bridge.node.query;
