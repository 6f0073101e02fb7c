/**
 * The OTLP/HTTP receiver: protobuf and JSON, identity or gzip, every size bounded, every failure a
 * 4xx with its reason.
 */
package dev.threadline.bridge.node.receiver;
