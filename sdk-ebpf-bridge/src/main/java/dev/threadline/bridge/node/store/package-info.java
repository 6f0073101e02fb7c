/**
 * The bounded in-memory trace store: immutable span records, a mutable parent link beside each (so
 * the correlator can re-parent spans and merge traces), indexes for the query API, eviction by
 * bytes and age. Place in the node's path: OTLP receiver → store → query API / viewer.
 *
 * <p>Threading: {@link dev.threadline.bridge.node.store.TraceStore} is thread-safe (one lock guards
 * every trace); records and snapshots handed out are immutable.
 */
package dev.threadline.bridge.node.store;
