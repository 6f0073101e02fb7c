/**
 * {@code @WithSpan} in the Spring Boot test application and its log lines (Logback) with the agent:
 * the application's spans join the request's trace (instrumentation → span → export) and its log
 * lines name them. Tests run one application JVM each, sequentially.
 */
package dev.threadline.agent.it.annotations;
