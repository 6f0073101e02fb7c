/**
 * The node daemon: where every span of a host meets (SDK, agent and S spans → receiver → store →
 * query API, viewer, forwarding). {@link dev.threadline.bridge.node.NodeCommand} runs it; {@link
 * dev.threadline.bridge.node.NodeServer} wires every part onto one HTTP port: a thread per
 * connection being served reads each request and writes its answer, and the handler threads, given
 * the request in memory, call into the parts concurrently. See {@code docs/node.md}.
 */
package dev.threadline.bridge.node;
