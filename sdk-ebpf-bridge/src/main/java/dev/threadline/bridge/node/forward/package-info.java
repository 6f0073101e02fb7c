/**
 * Re-sending what the node receives (receiver → store, and → forwarder) to another OTLP/HTTP
 * endpoint: the received bytes when nothing in them was redacted, else the redacted request. The
 * receiver's threads offer to a bounded queue; one sender thread drains it.
 */
package dev.threadline.bridge.node.forward;
