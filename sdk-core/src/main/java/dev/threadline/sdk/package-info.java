/**
 * The SDK's entry point for the path instrumentation → span → export: {@link
 * dev.threadline.sdk.Threadline} installs the OpenTelemetry SDK with Threadline's settings checks,
 * redacting and counting exporters, RED metrics and the context-switch hook.
 *
 * <p>Threading: install and close from one thread; the installed instance, its flush and its
 * statistics may be used from any thread.
 */
package dev.threadline.sdk;
