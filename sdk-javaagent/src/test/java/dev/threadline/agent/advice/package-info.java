/**
 * Forked-JVM tests of the agent's promises around advice (instrumentation → span → export): an
 * exception inside advice is suppressed, logged once and switches its instrumentation off; an
 * application's own exception passes through advice unchanged. Each scenario is a single-threaded
 * {@code main} run with the agent attached.
 */
package dev.threadline.agent.advice;
