/**
 * Context propagation across thread hand-offs (JDK executors, ForkJoin, CompletableFuture,
 * virtual
 * threads, application executors) and the opt-in {@code thread-start} module (data
 * path:
 * instrumentation → span context → the spans of the task), with helpers in {@code
 *
 * dev.threadline.agent.bootstrap.executors}. Advice runs on submitting and worker threads alike.
 */
package dev.threadline.agent.instrumentation.executors;
