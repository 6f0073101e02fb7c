/**
 * Integration tests of the agent on a real Spring Boot application started with {@code -javaagent}:
 * instrumentation → span → export, checked on what an in-test OTLP collector receives. Each test
 * starts its own application process and collector; nothing is shared between tests.
 */
package dev.threadline.agent.it;
