/**
 * Tests of the application OpenTelemetry API bridge: a scenario using the API in a JVM of its own
 * with the agent attached (application's manual spans → agent span → export), checked on the spans
 * the test collector receives.
 */
package dev.threadline.agent.instrumentation.opentelemetryapi;
