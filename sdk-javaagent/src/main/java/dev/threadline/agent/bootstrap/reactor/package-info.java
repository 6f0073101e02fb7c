/**
 * Reactor context propagation, bootstrap side (data path: instrumentation → span → export): the key
 * of the request's OpenTelemetry context in Reactor's subscriber context and the factory of the
 * per-loader operator hook. Stateless; called from any thread.
 */
package dev.threadline.agent.bootstrap.reactor;
