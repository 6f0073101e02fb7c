/**
 * The OTLP/HTTP receiver, where the node's path starts (SDK, agent, Kong → receiver → store):
 * protobuf and JSON, identity or gzip, every size bounded, every failure a 4xx with its reason;
 * secrets (credential headers, URL query parameters, userinfo) removed before the store and the
 * forwarder see a request. Requests are handled on the HTTP server's threads; the decoders and the
 * redaction keep no state between calls.
 */
package dev.threadline.bridge.node.receiver;
