/**
 * ITs of the reactive instrumentations (data path: instrumentation → span → export, checked at the
 * test OTLP collector): the WebFlux application runs with the agent in a JVM of its own; requests
 * are sent from the test's threads.
 */
package dev.threadline.agent.it.webflux;
