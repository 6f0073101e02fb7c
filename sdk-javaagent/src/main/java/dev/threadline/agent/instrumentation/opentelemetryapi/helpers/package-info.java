/**
 * The bridge classes: they implement the application's OpenTelemetry interfaces (named {@code
 * application.io.opentelemetry} here, {@code io.opentelemetry} once the agent is built) over the
 * agent's relocated API, and are defined in a child of the application's class loader by {@code
 * HelperClasses} (data path: the application's manual spans → agent span → export). Every object is
 * immutable or delegates to the agent's thread-safe API; any application thread may call them.
 */
package dev.threadline.agent.instrumentation.opentelemetryapi.helpers;
