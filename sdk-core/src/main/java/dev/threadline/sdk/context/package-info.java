/**
 * Keeping the OpenTelemetry {@link io.opentelemetry.context.Context} attached to work as it moves
 * between threads, and observing every change of a thread's current context.
 *
 * <ul>
 *   <li>{@link dev.threadline.sdk.context.ContextExecutors} wraps executors and tasks (library
 *       mode, no agent) so that a task runs in the context that was current when it was submitted.
 *   <li>{@link dev.threadline.sdk.context.ContextSwitchHook} installs a {@link
 *       io.opentelemetry.context.ContextStorage} wrapper that calls each {@link
 *       dev.threadline.sdk.context.ContextSwitchListener} whenever a thread's current context
 *       changes; the kernel bridge uses it to publish each thread's trace context.
 * </ul>
 */
package dev.threadline.sdk.context;
