/**
 * Forked-JVM tests of the agent's export stage (instrumentation → span → bounded export queue →
 * OTLP): a scenario application ends spans on its own thread while the test plays the collector and
 * reads the agent's meters from outside the process.
 */
package dev.threadline.agent.export;
