/**
 * The JSON query API over the trace store, at the end of the node's path (receiver → store → query
 * API and viewer). Handlers run on the HTTP server's request threads; each answer is written from a
 * snapshot the store hands out, with Gson's streaming writer in HTML-safe mode.
 */
package dev.threadline.bridge.node.query;
