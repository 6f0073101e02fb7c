/**
 * The bounded in-memory trace store: immutable span records, a mutable parent link beside each (so
 * the correlator can re-parent spans and merge traces), indexes for the query API, eviction by
 * bytes and age.
 */
package dev.threadline.bridge.node.store;
