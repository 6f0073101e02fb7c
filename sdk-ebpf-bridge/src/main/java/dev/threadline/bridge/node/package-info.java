/**
 * The node daemon: where every span of a host meets. {@link dev.threadline.bridge.node.NodeCommand}
 * runs it; {@link dev.threadline.bridge.node.NodeServer} wires the receiver, store, query API,
 * viewer, metrics and forwarding onto one HTTP port. See {@code docs/node.md}.
 */
package dev.threadline.bridge.node;
