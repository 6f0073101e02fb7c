/**
 * The node daemon: where every span of a host meets (SDK, agent and S spans → receiver → store →
 * query API, viewer, forwarding). {@link dev.threadline.bridge.node.NodeCommand} runs it; {@link
 * dev.threadline.bridge.node.NodeServer} wires every part onto one HTTP port, whose request threads
 * call into them concurrently. See {@code docs/node.md}.
 */
package dev.threadline.bridge.node;
