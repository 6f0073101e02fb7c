/**
 * Keeping the OpenTelemetry {@link io.opentelemetry.context.Context} attached to work as it moves
 * between threads, observing every change of a thread's current context, and publishing it to the
 * kernel: instrumentation → span → (here) the thread's record in shared memory → read by the BPF
 * program at the thread's next syscall. Listeners and the publisher run on the thread whose context
 * changed, and each thread writes only its own slot.
 *
 * <ul>
 *   <li>{@link dev.threadline.sdk.context.ContextExecutors} wraps executors and tasks (library
 *       mode, no agent) so that a task runs in the context that was current when it was submitted.
 *   <li>{@link dev.threadline.sdk.context.ContextSwitchHook} installs a {@link
 *       io.opentelemetry.context.ContextStorage} wrapper that calls each {@link
 *       dev.threadline.sdk.context.ContextSwitchListener} whenever a thread's current context
 *       changes.
 *   <li>{@link dev.threadline.sdk.context.ThreadContextPublisher}, one such listener, writes each
 *       thread's trace context into the region laid out by {@link
 *       dev.threadline.sdk.context.ThreadContextLayout}, with plain memory stores.
 * </ul>
 */
package dev.threadline.sdk.context;
