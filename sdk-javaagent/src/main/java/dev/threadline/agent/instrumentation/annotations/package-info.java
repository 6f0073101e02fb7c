/**
 * {@code @WithSpan} / {@code @SpanAttribute} of opentelemetry-instrumentation-annotations (data
 * path: instrumentation → span → export): methods are matched by the annotations' names, and the
 * advice hands the called {@code Method} and its arguments to {@code
 * dev.threadline.agent.bootstrap.annotations.WithSpans}. Advice runs on whatever thread calls the
 * method.
 */
package dev.threadline.agent.instrumentation.annotations;
