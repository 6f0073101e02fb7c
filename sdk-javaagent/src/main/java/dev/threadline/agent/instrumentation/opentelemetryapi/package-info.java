/**
 * The application's own OpenTelemetry API, bridged to the agent's: module and advice (data path:
 * the application's manual spans → agent span → export). Advice is inlined into the application's
 * {@code GlobalOpenTelemetry} and {@code ContextStorage} and runs on the calling application
 * thread; the bridge classes themselves are in {@code helpers}, defined next to the application.
 */
package dev.threadline.agent.instrumentation.opentelemetryapi;
