/** Re-sending what the node receives to another OTLP/HTTP endpoint, through a bounded queue. */
package dev.threadline.bridge.node.forward;
