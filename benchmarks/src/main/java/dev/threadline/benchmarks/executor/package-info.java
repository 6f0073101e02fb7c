/**
 * JMH benchmarks of the executor hand-off (submit + run with an active span) and of capture +
 * restore, for Threadline's wrappers beside OpenTelemetry's {@code Context.wrap} and
 * TransmittableThreadLocal. Single-threaded state per benchmark; pools are created and shut down
 * per trial.
 */
package dev.threadline.benchmarks.executor;
