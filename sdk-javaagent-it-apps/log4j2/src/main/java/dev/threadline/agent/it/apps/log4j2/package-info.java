/**
 * A Spring Boot application logging with Log4j2, for the agent's context-data test (instrumentation
 * → the current span's ids → log lines). Requests log on Tomcat's threads and on one pool thread.
 */
package dev.threadline.agent.it.apps.log4j2;
