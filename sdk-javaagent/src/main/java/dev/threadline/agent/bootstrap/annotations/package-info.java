/**
 * The {@code @WithSpan} instrumentation's helpers on the bootstrap class path (data path:
 * instrumentation → span → export): the annotations of an instrumented method, read reflectively
 * once per method (the annotation classes are the application's), and the span around its call.
 * Called concurrently from any application thread; the per-method cache is concurrent.
 */
package dev.threadline.agent.bootstrap.annotations;
