/**
 * Context propagation across thread hand-offs (JDK executors, ForkJoin, CompletableFuture, virtual
 * threads, {@code java.util.Timer}, application executors, {@code Thread.start}) (data path:
 * instrumentation → span context → the spans of the task), with helpers in {@code
 * dev.threadline.agent.bootstrap.executors}. Advice runs on submitting and worker threads alike.
 */
package dev.threadline.agent.instrumentation.executors;
