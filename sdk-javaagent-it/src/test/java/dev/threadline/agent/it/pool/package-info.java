/**
 * Forked-JVM tests that the Spring Boot application's server and pool threads (Tomcat's workers,
 * HikariCP's connection adder and housekeeper) never carry a request's context: the spans they make
 * (instrumentation → span → export) are roots of their own, whatever request set them working.
 */
package dev.threadline.agent.it.pool;
