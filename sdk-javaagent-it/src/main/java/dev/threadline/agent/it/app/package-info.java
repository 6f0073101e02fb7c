/**
 * The Spring Boot application the agent's ITs run with {@code -javaagent}: controllers, pools and
 * {@code @Async} hand-offs, JDBC and outgoing HTTP calls, knowing nothing of Threadline. Request
 * threads are Tomcat's.
 */
package dev.threadline.agent.it.app;
