/**
 * The application's own OpenTelemetry API and Micrometer Tracing under the agent: manual spans,
 * baggage and context of the application joined with the agent's (instrumentation → span → export),
 * checked on the spans an in-test OTLP collector receives. Each test class runs its own application
 * process and collector.
 */
package dev.threadline.agent.it.otelapi;
