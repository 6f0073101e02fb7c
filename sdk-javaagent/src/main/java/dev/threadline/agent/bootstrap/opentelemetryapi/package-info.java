/**
 * The application OpenTelemetry API bridge's part on the bootstrap class path: advice inlined into
 * the application's {@code GlobalOpenTelemetry} and {@code ContextStorage} asks here for the
 * bridged instances, created once per application API by the helpers (data path: application's
 * manual instrumentation → agent span → export). Safe to call from any thread; creation is
 * serialized per API, lookups take no lock.
 */
package dev.threadline.agent.bootstrap.opentelemetryapi;
